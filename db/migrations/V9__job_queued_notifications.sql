-- Workers LISTEN on the channel assay_job_queued and claim at once when a job becomes queued: submitted, released
-- by a worker or requeued by the reaper. PostgreSQL delivers a notification when the transaction commits and folds
-- identical ones of one transaction into one, so a bulk insert wakes each worker once. Polling stays the fallback.

CREATE FUNCTION notify_job_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('assay_job_queued', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER evaluation_queued_notify
    AFTER INSERT OR UPDATE OF state ON evaluation
    FOR EACH ROW
    WHEN (NEW.state = 'queued')
    EXECUTE FUNCTION notify_job_queued();
