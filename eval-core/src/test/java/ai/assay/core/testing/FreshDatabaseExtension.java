package ai.assay.core.testing;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests without Spring: a migrated database of its own per test class. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public class FreshDatabaseExtension implements BeforeAllCallback, AfterAllCallback {

    private TestDatabase database;
    private DataSource dataSource;

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestPostgres.createDatabase().migrate();
        dataSource = database.dataSource();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
        }
    }

    public TestDatabase database() {
        return database;
    }

    /** One data source for the whole class, so transaction managers and JDBC clients built on it share it. */
    public DataSource dataSource() {
        return dataSource;
    }
}
