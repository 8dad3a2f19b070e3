package ai.assay.api.problem;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes Tomcat's own error answers problem details too. Tomcat refuses some requests before any filter or servlet
 * sees them (a NUL or a bare {@code %} in the path, a malformed request line, characters a URI may not hold), and
 * its {@link ErrorReportValve} answers them with an HTML page. This replaces that valve on the host with one that
 * writes the same problem every other refusal gets: {@code malformed-request} for a 400, {@code not-found},
 * {@code internal-error} otherwise. Answers the application already wrote are never touched.
 */
@Component
class ContainerErrorProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemValve.class.getName());
            }
        });
    }

    /** Tomcat creates it by its class name, so it must be public with a public no-argument constructor. */
    public static final class ProblemValve extends ErrorReportValve {

        private static final JsonMapper MAPPER = JsonMapper.builder().build();

        public ProblemValve() {
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(true);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            ProblemKind kind = status == 404
                    ? ProblemKind.NOT_FOUND
                    : status < 500 ? ProblemKind.MALFORMED_REQUEST : ProblemKind.INTERNAL_ERROR;
            ObjectNode problem = MAPPER.createObjectNode()
                    .put("type", kind.type().toString())
                    .put("title", kind.title())
                    .put("status", status)
                    .put("detail", status < 500 ? kind.description() : "the request could not be completed");
            try {
                response.setContentType("application/problem+json");
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(MAPPER.writeValueAsString(problem));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the answer is under way; nothing more can be said
            }
        }
    }
}
