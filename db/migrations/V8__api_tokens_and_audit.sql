-- Who may call the API, and what each caller changed. A token's secret is never stored: only its SHA-256, which is
-- enough for a random 256-bit secret (nothing to brute-force, so no slow hash is needed).

CREATE TABLE api_token (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    secret_sha256 bytea       NOT NULL UNIQUE CHECK (octet_length(secret_sha256) = 32),
    scopes        text[]      NOT NULL CHECK (cardinality(scopes) > 0
                                              AND scopes <@ ARRAY['read', 'submit', 'admin']::text[]),
    -- Made at start-up from assay.api.auth.bootstrap-token; a new bootstrap secret revokes the old one.
    bootstrap     boolean     NOT NULL DEFAULT false,
    created_by    uuid        REFERENCES api_token (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

CREATE INDEX api_token_created_idx ON api_token (created_at DESC, id);

-- The token that submitted the evaluation or import; NULL for those made before tokens existed.
ALTER TABLE evaluation ADD COLUMN submitted_by uuid REFERENCES api_token (id);

-- One row per request that could change something (every method but GET, HEAD and OPTIONS), refused ones included.
CREATE TABLE audit_event (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    -- NULL when the request carried no valid token.
    token_id       uuid        REFERENCES api_token (id),
    method         text        NOT NULL,
    path           text        NOT NULL,
    status         integer     NOT NULL,
    -- What was made or changed (the response's Location, else the request path).
    target         text        NOT NULL,
    remote_address text        NOT NULL
);

CREATE INDEX audit_event_at_idx ON audit_event (at DESC, id DESC);
CREATE INDEX audit_event_token_idx ON audit_event (token_id, at DESC);
