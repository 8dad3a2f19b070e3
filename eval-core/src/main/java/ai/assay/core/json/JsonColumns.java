package ai.assay.core.json;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts between Java values and the text of jsonb columns. SQL binds the text with {@code CAST(:x AS jsonb)}.
 */
@Component
public class JsonColumns {

    private final JsonMapper mapper;

    public JsonColumns(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        return value == null ? null : mapper.writeValueAsString(value);
    }

    public JsonNode read(String json) {
        return json == null ? null : mapper.readTree(json);
    }

    public <T> T read(String json, Class<T> type) {
        return json == null ? null : mapper.readValue(json, type);
    }

    public JsonMapper mapper() {
        return mapper;
    }
}
