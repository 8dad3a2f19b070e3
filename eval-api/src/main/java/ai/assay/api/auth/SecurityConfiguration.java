package ai.assay.api.auth;

import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The API's one security filter chain: stateless, bearer tokens only (no sessions, no form log-in, no HTTP
 * Basic), every request decided by {@link RequiredScope}. CSRF protection is off because no cookie authorizes a
 * mutation (see {@link BearerTokenConverter}). Forwards to the container's error page are not checked again: the
 * request that caused them was.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    @Bean
    SecurityFilterChain apiSecurity(
            HttpSecurity http,
            ApiTokenAuthenticationProvider provider,
            RequiredScope requiredScope,
            AuthProblems problems,
            List<SecurityChainFilter> chainFilters)
            throws Exception {
        BearerTokenFilter bearer = new BearerTokenFilter(provider, problems);
        http.csrf(csrf -> csrf.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(
                                DispatcherType.ERROR, DispatcherType.FORWARD)
                        .permitAll()
                        .anyRequest()
                        .access((authentication, context) -> new AuthorizationDecision(requiredScope
                                .of(context.getRequest())
                                .map(scope -> authentication.get().getPrincipal() instanceof ApiToken token
                                        && token.allows(scope))
                                .orElse(true))));
        for (SecurityChainFilter filter : chainFilters) {
            switch (filter.place()) {
                case BEFORE_AUTHENTICATION -> http.addFilterBefore(filter.filter(), BearerTokenFilter.class);
                case AFTER_AUTHENTICATION -> http.addFilterAfter(filter.filter(), BearerTokenFilter.class);
            }
        }
        return http.build();
    }
}
