-- The audit trail is append-only: the application (and anyone without the rights to drop this trigger) can
-- neither change nor remove a row. Tampering by someone who can is caught by the HMAC-SM3 chain (qibu audit verify).
CREATE FUNCTION qibu_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION qibu_audit_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION qibu_audit_append_only();
--> statement-breakpoint
-- Deployment-level events that belong to no zone (a failed sign-in under an unknown name) are audited here.
INSERT INTO zones (id, code, name, short_name) VALUES
  ('00000000-0000-0000-0000-000000000000', 'platform', '平台', '平台');
