package ai.assay.api.problem;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring Boot's error endpoint ({@code /error}) renders the errors the servlet container forwards to it; asked for
 * directly, it has no error to render and answered with a meaningless body. A client's own request for it is a
 * {@code not-found} problem like any other unknown path; the container's forwards ({@link DispatcherType#ERROR})
 * go on as before.
 */
@Configuration(proxyBeanMethods = false)
class ErrorPathGuard implements WebMvcConfigurer, HandlerInterceptor {

    private final String errorPath;

    ErrorPathGuard(@Value("${server.error.path:/error}") String errorPath) {
        this.errorPath = errorPath;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns(errorPath);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getDispatcherType() == DispatcherType.REQUEST) {
            throw new ProblemException(ProblemKind.NOT_FOUND, "there is no endpoint " + errorPath);
        }
        return true;
    }
}
