package ai.assay.api.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses a query parameter whose name or value holds the NUL character ({@code %00}) before any handler sees it.
 * Parameters go into SQL filters, and PostgreSQL refuses NUL in text, so such a request would otherwise end in a
 * 500; it is the client's error, so it is a 400 {@code invalid-parameter} naming the parameter.
 */
@Configuration(proxyBeanMethods = false)
class UnstorableParameterGuard implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            boolean nul = parameter.getKey().indexOf('\u0000') >= 0;
            for (String value : parameter.getValue()) {
                nul |= value.indexOf('\u0000') >= 0;
            }
            if (nul) {
                String name = parameter.getKey().replace("\u0000", "\\u0000");
                throw new ProblemException(
                        ProblemKind.INVALID_PARAMETER,
                        "the query parameter '%s' holds the NUL character (%%00), which is never valid".formatted(name),
                        Map.of("parameter", name));
            }
        }
        return true;
    }
}
