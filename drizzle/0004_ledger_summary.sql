CREATE TABLE "project_report_totals" (
	"zone_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"completed_investment" numeric NOT NULL,
	"funds_in_place" numeric NOT NULL,
	"report_count" integer NOT NULL,
	"last_month" date NOT NULL,
	CONSTRAINT "project_report_totals_zone_id_project_id_year_pk" PRIMARY KEY("zone_id","project_id","year")
);
--> statement-breakpoint
ALTER TABLE "project_report_totals" ADD CONSTRAINT "project_report_totals_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_report_totals" ADD CONSTRAINT "project_report_totals_zone_id_project_id_projects_zone_id_id_fk" FOREIGN KEY ("zone_id","project_id") REFERENCES "public"."projects"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "project_report_totals_zone_year_idx" ON "project_report_totals" USING btree ("zone_id","year","last_month");
--> statement-breakpoint
-- project_report_totals is kept by the database: every statement that writes monthly_reports (the API, the Excel
-- import, the demo seeding, a test or psql) applies its rows to the totals in the same transaction, set-based
-- (statement-level triggers with transition tables). Sums and counts move by deltas (+ added rows, − removed
-- rows) under the totals row's lock, so concurrent writers of one project never lose each other's figures; the
-- year's latest month is read again only when a removed row may have been the latest.
CREATE FUNCTION qibu_report_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- (Nested IFs: plpgsql plans a whole condition, and the transition tables of other events do not exist.)
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
      (SELECT zone_id, project_id, month, completed_investment, funds_in_place FROM new_reports
       EXCEPT ALL SELECT zone_id, project_id, month, completed_investment, funds_in_place FROM old_reports)
      UNION ALL
      (SELECT zone_id, project_id, month, completed_investment, funds_in_place FROM old_reports
       EXCEPT ALL SELECT zone_id, project_id, month, completed_investment, funds_in_place FROM new_reports)) THEN
      RETURN NULL; -- only the progress text (or nothing the totals hold) changed
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO project_report_totals AS t (zone_id, project_id, year, completed_investment, funds_in_place, report_count, last_month)
    SELECT zone_id, project_id, extract(year FROM month)::int, sum(completed_investment), sum(funds_in_place), count(*)::int, max(month)
      FROM new_reports GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (zone_id, project_id, year) DO UPDATE SET
      completed_investment = t.completed_investment + excluded.completed_investment,
      funds_in_place = t.funds_in_place + excluded.funds_in_place,
      report_count = t.report_count + excluded.report_count,
      last_month = greatest(t.last_month, excluded.last_month);
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE project_report_totals t SET
        completed_investment = t.completed_investment - d.completed,
        funds_in_place = t.funds_in_place - d.funds,
        report_count = t.report_count - d.n
      FROM (SELECT zone_id, project_id, extract(year FROM month)::int AS year, sum(completed_investment) AS completed,
                   sum(funds_in_place) AS funds, count(*)::int AS n
              FROM old_reports GROUP BY 1, 2, 3) d
     WHERE t.zone_id = d.zone_id AND t.project_id = d.project_id AND t.year = d.year;
    DELETE FROM project_report_totals t
     USING (SELECT DISTINCT zone_id, project_id, extract(year FROM month)::int AS year FROM old_reports) d
     WHERE t.zone_id = d.zone_id AND t.project_id = d.project_id AND t.year = d.year AND t.report_count <= 0;
    -- A removed row may have been the year's latest: read the latest month again (this statement's snapshot is
    -- taken after the rows above were locked, so it sees every report already counted in them).
    UPDATE project_report_totals t SET last_month = (
        SELECT max(r.month) FROM monthly_reports r
         WHERE r.zone_id = t.zone_id AND r.project_id = t.project_id
           AND r.month >= make_date(t.year, 1, 1) AND r.month < make_date(t.year + 1, 1, 1))
      FROM (SELECT zone_id, project_id, extract(year FROM month)::int AS year, max(month) AS last FROM old_reports GROUP BY 1, 2, 3) d
     WHERE t.zone_id = d.zone_id AND t.project_id = d.project_id AND t.year = d.year AND d.last >= t.last_month;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION qibu_report_totals_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM project_report_totals;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER monthly_reports_totals_insert AFTER INSERT ON monthly_reports
  REFERENCING NEW TABLE AS new_reports FOR EACH STATEMENT EXECUTE FUNCTION qibu_report_totals();
--> statement-breakpoint
CREATE TRIGGER monthly_reports_totals_update AFTER UPDATE ON monthly_reports
  REFERENCING OLD TABLE AS old_reports NEW TABLE AS new_reports FOR EACH STATEMENT EXECUTE FUNCTION qibu_report_totals();
--> statement-breakpoint
CREATE TRIGGER monthly_reports_totals_delete AFTER DELETE ON monthly_reports
  REFERENCING OLD TABLE AS old_reports FOR EACH STATEMENT EXECUTE FUNCTION qibu_report_totals();
--> statement-breakpoint
CREATE TRIGGER monthly_reports_totals_truncate AFTER TRUNCATE ON monthly_reports
  FOR EACH STATEMENT EXECUTE FUNCTION qibu_report_totals_truncate();
--> statement-breakpoint
-- Backfill from the reports already there (after the triggers: creating them locked monthly_reports against
-- writers until this migration commits, so no report can slip between the two).
INSERT INTO project_report_totals (zone_id, project_id, year, completed_investment, funds_in_place, report_count, last_month)
SELECT zone_id, project_id, extract(year FROM month)::int, sum(completed_investment), sum(funds_in_place), count(*)::int, max(month)
  FROM monthly_reports GROUP BY 1, 2, 3;
--> statement-breakpoint
-- Only the reports make totals rows: an INSERT straight into project_report_totals (not from the triggers above,
-- which run one trigger level deeper) is dropped. `qibu restore` loads the backup's monthly_reports first (their
-- triggers rebuild the totals) and then the backup's copy of this table, which is thereby ignored instead of
-- colliding with, or adding to, the rebuilt rows.
CREATE FUNCTION qibu_report_totals_derived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() <= 1 THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER project_report_totals_derived BEFORE INSERT ON project_report_totals
  FOR EACH ROW EXECUTE FUNCTION qibu_report_totals_derived();
