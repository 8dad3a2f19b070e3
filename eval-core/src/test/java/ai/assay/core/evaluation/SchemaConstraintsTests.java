package ai.assay.core.evaluation;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.testing.FreshDatabaseExtension;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The invariants the schema itself enforces, whatever code writes to it. */
class SchemaConstraintsTests {

    @RegisterExtension
    static final FreshDatabaseExtension db = new FreshDatabaseExtension();

    private JdbcClient jdbc;
    private UUID id;

    @BeforeEach
    void insertAQueuedEvaluation() {
        jdbc = JdbcClient.create(db.dataSource());
        id = jdbc.sql("""
                INSERT INTO evaluation (model_name, model_uri, spec) VALUES ('m', 'file:///m', '{}')
                RETURNING id""").query(UUID.class).single();
    }

    @Test
    void rejectsUnknownStates() {
        assertThatThrownBy(() -> jdbc.sql("UPDATE evaluation SET state = 'paused' WHERE id = :id")
                        .param("id", id)
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("evaluation_state_known");
    }

    @Test
    void aRunningJobNeedsALease() {
        assertThatThrownBy(() -> jdbc.sql("UPDATE evaluation SET state = 'running' WHERE id = :id")
                        .param("id", id)
                        .update())
                .hasMessageContaining("evaluation_lease_iff_running");
    }

    @Test
    void aFinishedJobNeedsAFinishTimeAndNothingElseHasOne() {
        assertThatThrownBy(() -> jdbc.sql("UPDATE evaluation SET state = 'succeeded' WHERE id = :id")
                        .param("id", id)
                        .update())
                .hasMessageContaining("evaluation_finished_iff_terminal");
        assertThatThrownBy(() -> jdbc.sql("UPDATE evaluation SET finished_at = now() WHERE id = :id")
                        .param("id", id)
                        .update())
                .hasMessageContaining("evaluation_finished_iff_terminal");
    }

    @Test
    void taskProgressCannotPassItsTotal() {
        assertThatThrownBy(() -> jdbc.sql("""
                INSERT INTO evaluation_task (evaluation_id, position, name, done, total) VALUES (:id, 0, 't', 5, 4)
                """).param("id", id).update())
                .hasMessageContaining("evaluation_task_progress_valid");
    }

    @Test
    void aTaskAppearsOnceInAnEvaluation() {
        jdbc.sql("INSERT INTO evaluation_task (evaluation_id, position, name) VALUES (:id, 0, 't')")
                .param("id", id)
                .update();
        assertThatThrownBy(() -> jdbc.sql(
                                "INSERT INTO evaluation_task (evaluation_id, position, name) VALUES (:id, 1, 't')")
                        .param("id", id)
                        .update())
                .hasMessageContaining("evaluation_task_unique_name");
    }
}
