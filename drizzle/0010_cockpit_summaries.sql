-- Cockpit summaries of the closed loop (issue 6, docs/performance-cockpit.md): a custom migration, kept by the database.
-- The cockpit reads them (cockpit.problems.ts); the live path (`problemMetrics`) gives the same figures and is what a
-- database without them (a bench with BENCH_SUMMARIES=0) falls back to.
--
-- Two tables kept by the database, like project_report_totals (drizzle/0004): every statement that writes `problems`
-- (the API, the demo, a test, psql) applies its rows' net contributions in the same transaction, set-based
-- (statement-level triggers with transition tables), one upsert per table in key order (so concurrent writers lock
-- summary rows in one order and cannot deadlock on them); statements that change nothing counted write nothing, and
-- a key whose counts fall to zero is removed (so the tables always equal a rebuild from `problems`).
--
--   problem_day_counts   per HQ, lead unit (null: unassigned) and day:
--                        raised = problems raised that day (raised_on), returns = Σ their return_count;
--                        closed = problems closed that day (state closed, closed_on), closed_with_deadline = those of
--                        them with a deadline, closed_on_time = those with a deadline and closed_on_time.
--   problem_open_counts  the open problems (raised … submitted) per HQ, lead unit, deadline, warn_on, whether reminded
--                        and, for a suspended one, the day its clock stopped: exactly what decides the light
--                        (lightSql in problems.repository.ts), so lights are counted per key at read time, for any day.
--
-- Rows are never typed: an INSERT straight into either table (not from the triggers, which run one trigger level
-- deeper) is dropped, so `qibu restore` rebuilds them from the restored problems whatever the table order.
CREATE TABLE "problem_day_counts" (
	"zone_id" uuid NOT NULL REFERENCES "zones"("id"),
	"command_id" uuid NOT NULL,
	"lead_unit_id" uuid,
	"day" date NOT NULL,
	"raised" integer NOT NULL DEFAULT 0,
	"returns" integer NOT NULL DEFAULT 0,
	"closed" integer NOT NULL DEFAULT 0,
	"closed_with_deadline" integer NOT NULL DEFAULT 0,
	"closed_on_time" integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
CREATE UNIQUE INDEX "problem_day_counts_key" ON "problem_day_counts" ("zone_id", "day", "command_id", "lead_unit_id") NULLS NOT DISTINCT;
--> statement-breakpoint
CREATE TABLE "problem_open_counts" (
	"zone_id" uuid NOT NULL REFERENCES "zones"("id"),
	"command_id" uuid NOT NULL,
	"lead_unit_id" uuid,
	"deadline" date,
	"warn_on" date,
	"reminded" boolean NOT NULL,
	"stopped_on" date,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "problem_open_counts_key" ON "problem_open_counts" ("zone_id", "command_id", "lead_unit_id", "deadline", "warn_on", "reminded", "stopped_on") NULLS NOT DISTINCT;
--> statement-breakpoint
-- The overdue list (red, oldest deadline first, then the oldest raised, then the id: the list's own order) reads open
-- problems in that order: a partial index.
CREATE INDEX "problems_open_deadline_idx" ON "problems" ("zone_id", "deadline", "raised_at", "id") WHERE "state" IN ('raised','assigned','handed_back','in_progress','suspended','submitted');
--> statement-breakpoint
-- The big screen's map takes the largest projects first (so does the ledger sorted by investment).
CREATE INDEX "projects_zone_investment_idx" ON "projects" ("zone_id", "total_investment" DESC, "code");
--> statement-breakpoint
CREATE FUNCTION qibu_problem_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nested IFs: plpgsql plans a statement when it first runs it, and the transition tables of other events do not
  -- exist. Each branch: the rows' contributions (+1 for new rows, −1 for old), netted per key.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO problem_day_counts AS t (zone_id, command_id, lead_unit_id, day, raised, returns, closed, closed_with_deadline, closed_on_time)
    SELECT zone_id, command_id, lead_unit_id, day, sum(raised), sum(returns), sum(closed), sum(cwd), sum(cot) FROM (
      SELECT zone_id, command_id, lead_unit_id, raised_on AS day, 1 AS raised, return_count AS returns, 0 AS closed, 0 AS cwd, 0 AS cot FROM new_problems
      UNION ALL
      SELECT zone_id, command_id, lead_unit_id, closed_on, 0, 0, 1, (deadline IS NOT NULL)::int, (deadline IS NOT NULL AND coalesce(closed_on_time, false))::int
        FROM new_problems WHERE state = 'closed' AND closed_on IS NOT NULL) d
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 4, 2, 3
    ON CONFLICT (zone_id, day, command_id, lead_unit_id) DO UPDATE SET
      raised = t.raised + excluded.raised, returns = t.returns + excluded.returns, closed = t.closed + excluded.closed,
      closed_with_deadline = t.closed_with_deadline + excluded.closed_with_deadline, closed_on_time = t.closed_on_time + excluded.closed_on_time;
    INSERT INTO problem_open_counts AS t (zone_id, command_id, lead_unit_id, deadline, warn_on, reminded, stopped_on, n)
    SELECT zone_id, command_id, lead_unit_id, deadline, warn_on, reminded_at IS NOT NULL, CASE WHEN state = 'suspended' THEN suspended_on END, count(*)::int
      FROM new_problems WHERE state IN ('raised','assigned','handed_back','in_progress','suspended','submitted')
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (zone_id, command_id, lead_unit_id, deadline, warn_on, reminded, stopped_on) DO UPDATE SET n = t.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO problem_day_counts AS t (zone_id, command_id, lead_unit_id, day, raised, returns, closed, closed_with_deadline, closed_on_time)
    SELECT zone_id, command_id, lead_unit_id, day, sum(raised), sum(returns), sum(closed), sum(cwd), sum(cot) FROM (
      SELECT zone_id, command_id, lead_unit_id, raised_on AS day, -1 AS raised, -return_count AS returns, 0 AS closed, 0 AS cwd, 0 AS cot FROM old_problems
      UNION ALL
      SELECT zone_id, command_id, lead_unit_id, closed_on, 0, 0, -1, -(deadline IS NOT NULL)::int, -(deadline IS NOT NULL AND coalesce(closed_on_time, false))::int
        FROM old_problems WHERE state = 'closed' AND closed_on IS NOT NULL) d
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 4, 2, 3
    ON CONFLICT (zone_id, day, command_id, lead_unit_id) DO UPDATE SET
      raised = t.raised + excluded.raised, returns = t.returns + excluded.returns, closed = t.closed + excluded.closed,
      closed_with_deadline = t.closed_with_deadline + excluded.closed_with_deadline, closed_on_time = t.closed_on_time + excluded.closed_on_time;
    INSERT INTO problem_open_counts AS t (zone_id, command_id, lead_unit_id, deadline, warn_on, reminded, stopped_on, n)
    SELECT zone_id, command_id, lead_unit_id, deadline, warn_on, reminded_at IS NOT NULL, CASE WHEN state = 'suspended' THEN suspended_on END, -count(*)::int
      FROM old_problems WHERE state IN ('raised','assigned','handed_back','in_progress','suspended','submitted')
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (zone_id, command_id, lead_unit_id, deadline, warn_on, reminded, stopped_on) DO UPDATE SET n = t.n + excluded.n;
    -- A key whose counts fell to zero is removed (the rows the upsert above just locked; a key this statement did not
    -- lower still counts a problem of these rows, so it is never zero): a summary holds no empty rows, as a rebuild.
    DELETE FROM problem_day_counts t
     USING (SELECT DISTINCT zone_id, command_id, lead_unit_id, raised_on AS day FROM old_problems
            UNION SELECT zone_id, command_id, lead_unit_id, closed_on FROM old_problems WHERE state = 'closed' AND closed_on IS NOT NULL) d
     WHERE t.zone_id = d.zone_id AND t.day = d.day AND t.command_id = d.command_id AND t.lead_unit_id IS NOT DISTINCT FROM d.lead_unit_id
       AND t.raised = 0 AND t.returns = 0 AND t.closed = 0 AND t.closed_with_deadline = 0 AND t.closed_on_time = 0;
    DELETE FROM problem_open_counts t
     USING (SELECT DISTINCT zone_id, command_id, lead_unit_id, deadline, warn_on, reminded_at IS NOT NULL AS reminded, CASE WHEN state = 'suspended' THEN suspended_on END AS stopped_on
              FROM old_problems WHERE state IN ('raised','assigned','handed_back','in_progress','suspended','submitted')) d
     WHERE t.zone_id = d.zone_id AND t.command_id = d.command_id AND t.lead_unit_id IS NOT DISTINCT FROM d.lead_unit_id
       AND t.deadline IS NOT DISTINCT FROM d.deadline AND t.warn_on IS NOT DISTINCT FROM d.warn_on AND t.reminded = d.reminded
       AND t.stopped_on IS NOT DISTINCT FROM d.stopped_on AND t.n = 0;
  ELSE
    INSERT INTO problem_day_counts AS t (zone_id, command_id, lead_unit_id, day, raised, returns, closed, closed_with_deadline, closed_on_time)
    SELECT zone_id, command_id, lead_unit_id, day, sum(raised), sum(returns), sum(closed), sum(cwd), sum(cot) FROM (
      SELECT zone_id, command_id, lead_unit_id, raised_on AS day, 1 AS raised, return_count AS returns, 0 AS closed, 0 AS cwd, 0 AS cot FROM new_problems
      UNION ALL
      SELECT zone_id, command_id, lead_unit_id, closed_on, 0, 0, 1, (deadline IS NOT NULL)::int, (deadline IS NOT NULL AND coalesce(closed_on_time, false))::int
        FROM new_problems WHERE state = 'closed' AND closed_on IS NOT NULL
      UNION ALL
      SELECT zone_id, command_id, lead_unit_id, raised_on, -1, -return_count, 0, 0, 0 FROM old_problems
      UNION ALL
      SELECT zone_id, command_id, lead_unit_id, closed_on, 0, 0, -1, -(deadline IS NOT NULL)::int, -(deadline IS NOT NULL AND coalesce(closed_on_time, false))::int
        FROM old_problems WHERE state = 'closed' AND closed_on IS NOT NULL) d
    GROUP BY 1, 2, 3, 4
    -- an update that changes nothing counted (progress, a new version …) nets to zero and writes nothing
    HAVING sum(raised) <> 0 OR sum(returns) <> 0 OR sum(closed) <> 0 OR sum(cwd) <> 0 OR sum(cot) <> 0
    ORDER BY 1, 4, 2, 3
    ON CONFLICT (zone_id, day, command_id, lead_unit_id) DO UPDATE SET
      raised = t.raised + excluded.raised, returns = t.returns + excluded.returns, closed = t.closed + excluded.closed,
      closed_with_deadline = t.closed_with_deadline + excluded.closed_with_deadline, closed_on_time = t.closed_on_time + excluded.closed_on_time;
    INSERT INTO problem_open_counts AS t (zone_id, command_id, lead_unit_id, deadline, warn_on, reminded, stopped_on, n)
    SELECT zone_id, command_id, lead_unit_id, deadline, warn_on, reminded, stopped_on, sum(n)::int FROM (
      SELECT zone_id, command_id, lead_unit_id, deadline, warn_on, reminded_at IS NOT NULL AS reminded, CASE WHEN state = 'suspended' THEN suspended_on END AS stopped_on, 1 AS n
        FROM new_problems WHERE state IN ('raised','assigned','handed_back','in_progress','suspended','submitted')
      UNION ALL
      SELECT zone_id, command_id, lead_unit_id, deadline, warn_on, reminded_at IS NOT NULL, CASE WHEN state = 'suspended' THEN suspended_on END, -1
        FROM old_problems WHERE state IN ('raised','assigned','handed_back','in_progress','suspended','submitted')) d
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (zone_id, command_id, lead_unit_id, deadline, warn_on, reminded, stopped_on) DO UPDATE SET n = t.n + excluded.n;
    -- A key whose counts fell to zero is removed (the rows the upsert above just locked; a key this statement did not
    -- lower still counts a problem of these rows, so it is never zero): a summary holds no empty rows, as a rebuild.
    DELETE FROM problem_day_counts t
     USING (SELECT DISTINCT zone_id, command_id, lead_unit_id, raised_on AS day FROM old_problems
            UNION SELECT zone_id, command_id, lead_unit_id, closed_on FROM old_problems WHERE state = 'closed' AND closed_on IS NOT NULL) d
     WHERE t.zone_id = d.zone_id AND t.day = d.day AND t.command_id = d.command_id AND t.lead_unit_id IS NOT DISTINCT FROM d.lead_unit_id
       AND t.raised = 0 AND t.returns = 0 AND t.closed = 0 AND t.closed_with_deadline = 0 AND t.closed_on_time = 0;
    DELETE FROM problem_open_counts t
     USING (SELECT DISTINCT zone_id, command_id, lead_unit_id, deadline, warn_on, reminded_at IS NOT NULL AS reminded, CASE WHEN state = 'suspended' THEN suspended_on END AS stopped_on
              FROM old_problems WHERE state IN ('raised','assigned','handed_back','in_progress','suspended','submitted')) d
     WHERE t.zone_id = d.zone_id AND t.command_id = d.command_id AND t.lead_unit_id IS NOT DISTINCT FROM d.lead_unit_id
       AND t.deadline IS NOT DISTINCT FROM d.deadline AND t.warn_on IS NOT DISTINCT FROM d.warn_on AND t.reminded = d.reminded
       AND t.stopped_on IS NOT DISTINCT FROM d.stopped_on AND t.n = 0;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION qibu_problem_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM problem_day_counts;
  DELETE FROM problem_open_counts;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER problems_counts_insert AFTER INSERT ON problems
  REFERENCING NEW TABLE AS new_problems FOR EACH STATEMENT EXECUTE FUNCTION qibu_problem_counts();
--> statement-breakpoint
CREATE TRIGGER problems_counts_update AFTER UPDATE ON problems
  REFERENCING OLD TABLE AS old_problems NEW TABLE AS new_problems FOR EACH STATEMENT EXECUTE FUNCTION qibu_problem_counts();
--> statement-breakpoint
CREATE TRIGGER problems_counts_delete AFTER DELETE ON problems
  REFERENCING OLD TABLE AS old_problems FOR EACH STATEMENT EXECUTE FUNCTION qibu_problem_counts();
--> statement-breakpoint
CREATE TRIGGER problems_counts_truncate AFTER TRUNCATE ON problems
  FOR EACH STATEMENT EXECUTE FUNCTION qibu_problem_counts_truncate();
--> statement-breakpoint
-- Backfill from the problems already there (after the triggers: creating them locked `problems` against writers
-- until this migration commits, so no write can slip between the two).
INSERT INTO problem_day_counts (zone_id, command_id, lead_unit_id, day, raised, returns, closed, closed_with_deadline, closed_on_time)
SELECT zone_id, command_id, lead_unit_id, day, sum(raised), sum(returns), sum(closed), sum(cwd), sum(cot) FROM (
  SELECT zone_id, command_id, lead_unit_id, raised_on AS day, 1 AS raised, return_count AS returns, 0 AS closed, 0 AS cwd, 0 AS cot FROM problems
  UNION ALL
  SELECT zone_id, command_id, lead_unit_id, closed_on, 0, 0, 1, (deadline IS NOT NULL)::int, (deadline IS NOT NULL AND coalesce(closed_on_time, false))::int
    FROM problems WHERE state = 'closed' AND closed_on IS NOT NULL) d
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO problem_open_counts (zone_id, command_id, lead_unit_id, deadline, warn_on, reminded, stopped_on, n)
SELECT zone_id, command_id, lead_unit_id, deadline, warn_on, reminded_at IS NOT NULL, CASE WHEN state = 'suspended' THEN suspended_on END, count(*)::int
  FROM problems WHERE state IN ('raised','assigned','handed_back','in_progress','suspended','submitted')
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
CREATE FUNCTION qibu_problem_counts_derived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() <= 1 THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER problem_day_counts_derived BEFORE INSERT ON problem_day_counts
  FOR EACH ROW EXECUTE FUNCTION qibu_problem_counts_derived();
--> statement-breakpoint
CREATE TRIGGER problem_open_counts_derived BEFORE INSERT ON problem_open_counts
  FOR EACH ROW EXECUTE FUNCTION qibu_problem_counts_derived();
