CREATE TABLE "meeting_agenda_items" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"sort_order" integer NOT NULL,
	"kind" text NOT NULL,
	"ref_id" uuid,
	"title" text NOT NULL,
	"presenter_user_id" uuid,
	"presenter_unit_id" uuid,
	"minutes_allowed" integer,
	"minutes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_agenda_items_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "meeting_agenda_items_kind_ck" CHECK ("meeting_agenda_items"."kind" in ('problem','project','decision','custom'))
);
--> statement-breakpoint
CREATE TABLE "meeting_attendance" (
	"zone_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"unit_id" uuid,
	"status" text NOT NULL,
	"reason" text,
	"substitute_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_attendance_zone_id_meeting_id_user_id_pk" PRIMARY KEY("zone_id","meeting_id","user_id"),
	CONSTRAINT "meeting_attendance_status_ck" CHECK ("meeting_attendance"."status" in ('present','absent','substitute'))
);
--> statement-breakpoint
CREATE TABLE "meeting_counters" (
	"zone_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"type" text NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "meeting_counters_zone_id_body_id_type_pk" PRIMARY KEY("zone_id","body_id","type")
);
--> statement-breakpoint
CREATE TABLE "meeting_decisions" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"agenda_item_id" uuid,
	"seq" integer NOT NULL,
	"text" text NOT NULL,
	"kind" text NOT NULL,
	"lead_unit_id" uuid NOT NULL,
	"cooperating_unit_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deadline" date NOT NULL,
	"deadline_workdays" integer,
	"problem_id" uuid,
	"task_status" text,
	"task_done_at" timestamp with time zone,
	"task_done_by" uuid,
	"task_result" text,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_decisions_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "meeting_decisions_kind_ck" CHECK ("meeting_decisions"."kind" in ('problem','task')),
	CONSTRAINT "meeting_decisions_link_ck" CHECK (("meeting_decisions"."kind" = 'problem') = ("meeting_decisions"."problem_id" is not null)),
	CONSTRAINT "meeting_decisions_task_ck" CHECK (("meeting_decisions"."kind" = 'task') = ("meeting_decisions"."task_status" is not null))
);
--> statement-breakpoint
CREATE TABLE "meeting_invitees" (
	"zone_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"ref_id" uuid NOT NULL,
	CONSTRAINT "meeting_invitees_zone_id_meeting_id_kind_ref_id_pk" PRIMARY KEY("zone_id","meeting_id","kind","ref_id"),
	CONSTRAINT "meeting_invitees_kind_ck" CHECK ("meeting_invitees"."kind" in ('unit','command'))
);
--> statement-breakpoint
CREATE TABLE "meeting_minutes_versions" (
	"zone_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"minutes_version" integer NOT NULL,
	"document_number" text NOT NULL,
	"content" jsonb NOT NULL,
	"reason" text,
	"issued_by" uuid,
	"issued_by_name" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	CONSTRAINT "meeting_minutes_versions_zone_id_meeting_id_minutes_version_pk" PRIMARY KEY("zone_id","meeting_id","minutes_version")
);
--> statement-breakpoint
CREATE TABLE "meeting_series" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"command_id" uuid,
	"group_id" uuid,
	"type" text NOT NULL,
	"start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"interval_weeks" integer DEFAULT 1 NOT NULL,
	"first_on" date NOT NULL,
	"until_on" date NOT NULL,
	"place" text,
	"chair_user_id" uuid,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_series_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "meeting_series_body_ck" CHECK (("meeting_series"."command_id" is null) <> ("meeting_series"."group_id" is null))
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"command_id" uuid,
	"group_id" uuid,
	"type" text NOT NULL,
	"number" integer NOT NULL,
	"subject" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"held_on" date NOT NULL,
	"place" text,
	"chair_user_id" uuid,
	"status" text DEFAULT 'planned' NOT NULL,
	"series_id" uuid,
	"minutes_version" integer DEFAULT 0 NOT NULL,
	"pending_revision" text,
	"summary" text,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meetings_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "meetings_body_ck" CHECK (("meetings"."command_id" is null) <> ("meetings"."group_id" is null)),
	CONSTRAINT "meetings_type_ck" CHECK ("meetings"."type" in ('regular','special','leading_group')),
	CONSTRAINT "meetings_status_ck" CHECK ("meetings"."status" in ('planned','held','minutes_issued','cancelled')),
	CONSTRAINT "meetings_time_ck" CHECK ("meetings"."ends_at" > "meetings"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "meeting_agenda_items" ADD CONSTRAINT "meeting_agenda_items_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_agenda_items" ADD CONSTRAINT "meeting_agenda_items_zone_id_meeting_id_meetings_zone_id_id_fk" FOREIGN KEY ("zone_id","meeting_id") REFERENCES "public"."meetings"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_agenda_items" ADD CONSTRAINT "meeting_agenda_items_zone_id_presenter_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","presenter_user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_agenda_items" ADD CONSTRAINT "meeting_agenda_items_zone_id_presenter_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","presenter_unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_zone_id_meeting_id_meetings_zone_id_id_fk" FOREIGN KEY ("zone_id","meeting_id") REFERENCES "public"."meetings"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_zone_id_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_counters" ADD CONSTRAINT "meeting_counters_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_decisions" ADD CONSTRAINT "meeting_decisions_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_decisions" ADD CONSTRAINT "meeting_decisions_zone_id_meeting_id_meetings_zone_id_id_fk" FOREIGN KEY ("zone_id","meeting_id") REFERENCES "public"."meetings"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_decisions" ADD CONSTRAINT "meeting_decisions_zone_id_agenda_item_id_meeting_agenda_items_zone_id_id_fk" FOREIGN KEY ("zone_id","agenda_item_id") REFERENCES "public"."meeting_agenda_items"("zone_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_decisions" ADD CONSTRAINT "meeting_decisions_zone_id_lead_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","lead_unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_decisions" ADD CONSTRAINT "meeting_decisions_zone_id_problem_id_problems_zone_id_id_fk" FOREIGN KEY ("zone_id","problem_id") REFERENCES "public"."problems"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_invitees" ADD CONSTRAINT "meeting_invitees_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_invitees" ADD CONSTRAINT "meeting_invitees_zone_id_meeting_id_meetings_zone_id_id_fk" FOREIGN KEY ("zone_id","meeting_id") REFERENCES "public"."meetings"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_minutes_versions" ADD CONSTRAINT "meeting_minutes_versions_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_minutes_versions" ADD CONSTRAINT "meeting_minutes_versions_zone_id_meeting_id_meetings_zone_id_id_fk" FOREIGN KEY ("zone_id","meeting_id") REFERENCES "public"."meetings"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_zone_id_command_id_commands_zone_id_id_fk" FOREIGN KEY ("zone_id","command_id") REFERENCES "public"."commands"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_zone_id_group_id_org_groups_zone_id_id_fk" FOREIGN KEY ("zone_id","group_id") REFERENCES "public"."org_groups"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_zone_id_command_id_commands_zone_id_id_fk" FOREIGN KEY ("zone_id","command_id") REFERENCES "public"."commands"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_zone_id_group_id_org_groups_zone_id_id_fk" FOREIGN KEY ("zone_id","group_id") REFERENCES "public"."org_groups"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_zone_id_chair_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","chair_user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_zone_id_series_id_meeting_series_zone_id_id_fk" FOREIGN KEY ("zone_id","series_id") REFERENCES "public"."meeting_series"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_agenda_items_meeting_idx" ON "meeting_agenda_items" USING btree ("zone_id","meeting_id","sort_order");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_decisions_seq_uq" ON "meeting_decisions" USING btree ("zone_id","meeting_id","seq");--> statement-breakpoint
CREATE INDEX "meeting_decisions_problem_idx" ON "meeting_decisions" USING btree ("zone_id","problem_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_number_uq" ON "meetings" USING btree ("zone_id",coalesce("command_id", "group_id"),"type","number");--> statement-breakpoint
CREATE INDEX "meetings_command_idx" ON "meetings" USING btree ("zone_id","command_id","starts_at");--> statement-breakpoint
CREATE INDEX "meetings_group_idx" ON "meetings" USING btree ("zone_id","group_id","starts_at");--> statement-breakpoint
CREATE INDEX "meetings_starts_idx" ON "meetings" USING btree ("zone_id","starts_at");