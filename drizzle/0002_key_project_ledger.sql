CREATE TABLE "dictionary_entries" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"dictionary" text NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"label_en" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dictionary_entries_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "dictionary_entries_dictionary_ck" CHECK ("dictionary_entries"."dictionary" in ('industry','project_kind'))
);
--> statement-breakpoint
CREATE TABLE "batch_projects" (
	"zone_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	CONSTRAINT "batch_projects_zone_id_batch_id_project_id_pk" PRIMARY KEY("zone_id","batch_id","project_id")
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"held_on" date NOT NULL,
	"location" text,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batches_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "batches_kind_ck" CHECK ("batches"."kind" in ('groundbreaking','signing'))
);
--> statement-breakpoint
CREATE TABLE "milestones" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"planned_on" date NOT NULL,
	"actual_on" date,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "milestones_zone_id_id_pk" PRIMARY KEY("zone_id","id")
);
--> statement-breakpoint
CREATE TABLE "monthly_reports" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"month" date NOT NULL,
	"completed_investment" numeric(18, 2) NOT NULL,
	"funds_in_place" numeric(18, 2) DEFAULT '0' NOT NULL,
	"progress" text NOT NULL,
	"unit_id" uuid,
	"reported_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monthly_reports_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "monthly_reports_month_ck" CHECK (extract(day from "monthly_reports"."month") = 1),
	CONSTRAINT "monthly_reports_money_ck" CHECK ("monthly_reports"."completed_investment" >= 0 and "monthly_reports"."funds_in_place" >= 0)
);
--> statement-breakpoint
CREATE TABLE "project_annual_plans" (
	"zone_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"planned_investment" numeric(18, 2) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_annual_plans_zone_id_project_id_year_pk" PRIMARY KEY("zone_id","project_id","year"),
	CONSTRAINT "project_annual_plans_ck" CHECK ("project_annual_plans"."planned_investment" >= 0 and "project_annual_plans"."year" between 2000 and 2100)
);
--> statement-breakpoint
CREATE TABLE "project_imports" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"file_name" text NOT NULL,
	"status" text NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"rows" jsonb,
	"errors" jsonb,
	"summary" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_imports_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "project_imports_status_ck" CHECK ("project_imports"."status" in ('validating','ready','failed','applied'))
);
--> statement-breakpoint
CREATE TABLE "project_phase_changes" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"from_phase" text NOT NULL,
	"to_phase" text NOT NULL,
	"on_date" date NOT NULL,
	"reason" text,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_phase_changes_zone_id_id_pk" PRIMARY KEY("zone_id","id")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"enterprise_id" uuid,
	"industry" text,
	"kind" text,
	"level" text DEFAULT 'district' NOT NULL,
	"cluster_unit_id" uuid,
	"area_unit_id" uuid,
	"address" text,
	"longitude" numeric(9, 6),
	"latitude" numeric(9, 6),
	"command_id" uuid,
	"lead_unit_id" uuid,
	"leader_user_id" uuid,
	"task_force_id" uuid,
	"total_investment" numeric(18, 2) NOT NULL,
	"phase" text DEFAULT 'pipeline' NOT NULL,
	"suspended_from" text,
	"signed_on" date,
	"started_on" date,
	"operating_on" date,
	"completed_on" date,
	"suspended_on" date,
	"planned_start_on" date,
	"planned_completion_on" date,
	"notes" text,
	"search_doc" "tsvector",
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "projects_phase_ck" CHECK ("projects"."phase" in ('pipeline','signed','started','operating','completed','suspended')),
	CONSTRAINT "projects_suspended_from_ck" CHECK (("projects"."phase" = 'suspended') = ("projects"."suspended_from" is not null)),
	CONSTRAINT "projects_level_ck" CHECK ("projects"."level" in ('province','city','district')),
	CONSTRAINT "projects_money_ck" CHECK ("projects"."total_investment" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"original_name" text NOT NULL,
	"mime" text NOT NULL,
	"kind" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"clean_id" uuid,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stored_files_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "stored_files_kind_ck" CHECK ("stored_files"."kind" in ('image','document'))
);
--> statement-breakpoint
ALTER TABLE "dictionary_entries" ADD CONSTRAINT "dictionary_entries_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_projects" ADD CONSTRAINT "batch_projects_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_projects" ADD CONSTRAINT "batch_projects_zone_id_batch_id_batches_zone_id_id_fk" FOREIGN KEY ("zone_id","batch_id") REFERENCES "public"."batches"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_projects" ADD CONSTRAINT "batch_projects_zone_id_project_id_projects_zone_id_id_fk" FOREIGN KEY ("zone_id","project_id") REFERENCES "public"."projects"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_zone_id_project_id_projects_zone_id_id_fk" FOREIGN KEY ("zone_id","project_id") REFERENCES "public"."projects"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_reports" ADD CONSTRAINT "monthly_reports_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_reports" ADD CONSTRAINT "monthly_reports_zone_id_project_id_projects_zone_id_id_fk" FOREIGN KEY ("zone_id","project_id") REFERENCES "public"."projects"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_reports" ADD CONSTRAINT "monthly_reports_zone_id_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_annual_plans" ADD CONSTRAINT "project_annual_plans_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_annual_plans" ADD CONSTRAINT "project_annual_plans_zone_id_project_id_projects_zone_id_id_fk" FOREIGN KEY ("zone_id","project_id") REFERENCES "public"."projects"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_imports" ADD CONSTRAINT "project_imports_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_phase_changes" ADD CONSTRAINT "project_phase_changes_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_phase_changes" ADD CONSTRAINT "project_phase_changes_zone_id_project_id_projects_zone_id_id_fk" FOREIGN KEY ("zone_id","project_id") REFERENCES "public"."projects"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_zone_id_enterprise_id_enterprises_zone_id_id_fk" FOREIGN KEY ("zone_id","enterprise_id") REFERENCES "public"."enterprises"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_zone_id_cluster_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","cluster_unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_zone_id_area_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","area_unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_zone_id_command_id_commands_zone_id_id_fk" FOREIGN KEY ("zone_id","command_id") REFERENCES "public"."commands"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_zone_id_lead_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","lead_unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_zone_id_leader_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","leader_user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_zone_id_task_force_id_org_groups_zone_id_id_fk" FOREIGN KEY ("zone_id","task_force_id") REFERENCES "public"."org_groups"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dictionary_entries_code_uq" ON "dictionary_entries" USING btree ("zone_id","dictionary","code");--> statement-breakpoint
CREATE UNIQUE INDEX "dictionary_entries_label_uq" ON "dictionary_entries" USING btree ("zone_id","dictionary","label");--> statement-breakpoint
CREATE INDEX "batch_projects_project_idx" ON "batch_projects" USING btree ("zone_id","project_id");--> statement-breakpoint
CREATE INDEX "milestones_project_idx" ON "milestones" USING btree ("zone_id","project_id","planned_on");--> statement-breakpoint
CREATE UNIQUE INDEX "monthly_reports_project_month_uq" ON "monthly_reports" USING btree ("zone_id","project_id","month");--> statement-breakpoint
CREATE INDEX "monthly_reports_zone_month_idx" ON "monthly_reports" USING btree ("zone_id","month");--> statement-breakpoint
CREATE INDEX "project_phase_changes_project_idx" ON "project_phase_changes" USING btree ("zone_id","project_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_zone_code_uq" ON "projects" USING btree ("zone_id","code");--> statement-breakpoint
CREATE INDEX "projects_zone_phase_idx" ON "projects" USING btree ("zone_id","phase");--> statement-breakpoint
CREATE INDEX "projects_zone_command_idx" ON "projects" USING btree ("zone_id","command_id");--> statement-breakpoint
CREATE INDEX "projects_zone_lead_unit_idx" ON "projects" USING btree ("zone_id","lead_unit_id");--> statement-breakpoint
CREATE INDEX "projects_search_idx" ON "projects" USING gin ("search_doc");--> statement-breakpoint
CREATE INDEX "stored_files_owner_idx" ON "stored_files" USING btree ("zone_id","owner_type","owner_id");