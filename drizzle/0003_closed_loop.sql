CREATE TABLE "calendar_overrides" (
	"zone_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"note" text,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_overrides_zone_id_day_pk" PRIMARY KEY("zone_id","day"),
	CONSTRAINT "calendar_overrides_kind_ck" CHECK ("calendar_overrides"."kind" in ('workday','holiday'))
);
--> statement-breakpoint
CREATE TABLE "problem_cooperating_units" (
	"zone_id" uuid NOT NULL,
	"problem_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	CONSTRAINT "problem_cooperating_units_zone_id_problem_id_unit_id_pk" PRIMARY KEY("zone_id","problem_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "problem_counters" (
	"zone_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "problem_counters_zone_id_year_pk" PRIMARY KEY("zone_id","year")
);
--> statement-breakpoint
CREATE TABLE "problem_events" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"problem_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"actor_unit_id" uuid,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"text" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"light" text,
	CONSTRAINT "problem_events_zone_id_id_pk" PRIMARY KEY("zone_id","id")
);
--> statement-breakpoint
CREATE TABLE "problem_reminders" (
	"zone_id" uuid NOT NULL,
	"problem_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"deadline" date NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "problem_reminders_zone_id_problem_id_kind_deadline_pk" PRIMARY KEY("zone_id","problem_id","kind","deadline")
);
--> statement-breakpoint
CREATE TABLE "problem_settings" (
	"zone_id" uuid PRIMARY KEY NOT NULL,
	"remind_before_workdays" integer DEFAULT 1 NOT NULL,
	"escalate_commander_after" integer DEFAULT 1 NOT NULL,
	"escalate_leader_after" integer DEFAULT 3 NOT NULL,
	"digest_hour" integer DEFAULT 9 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problems" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"source" text NOT NULL,
	"source_id" uuid,
	"source_note" text,
	"project_id" uuid,
	"command_id" uuid NOT NULL,
	"place_unit_id" uuid,
	"address" text,
	"longitude" numeric(9, 6),
	"latitude" numeric(9, 6),
	"category" text NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"state" text DEFAULT 'raised' NOT NULL,
	"lead_unit_id" uuid,
	"escalation" text DEFAULT 'zone' NOT NULL,
	"external_unit" text,
	"instruction" text,
	"deadline_workdays" integer,
	"deadline" date,
	"deadline_provisional" boolean DEFAULT false NOT NULL,
	"warn_on" date,
	"reminded_at" timestamp with time zone,
	"supervision_level" integer DEFAULT 0 NOT NULL,
	"supervised_at" timestamp with time zone,
	"suspended_on" date,
	"pending_request" jsonb,
	"merged_into_id" uuid,
	"raised_by" uuid,
	"raised_by_name" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"raised_on" date NOT NULL,
	"assigned_at" timestamp with time zone,
	"assigned_on" date,
	"accepted_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_on" date,
	"closed_by" uuid,
	"closed_on_time" boolean,
	"workdays_to_close" integer,
	"return_count" integer DEFAULT 0 NOT NULL,
	"hand_back_count" integer DEFAULT 0 NOT NULL,
	"extension_count" integer DEFAULT 0 NOT NULL,
	"search_doc" "tsvector",
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problems_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "problems_state_ck" CHECK ("problems"."state" in ('raised','assigned','handed_back','in_progress','suspended','submitted','closed','merged')),
	CONSTRAINT "problems_source_ck" CHECK ("problems"."source" in ('meeting','report','field','service','hotline','instruction','other')),
	CONSTRAINT "problems_priority_ck" CHECK ("problems"."priority" in ('normal','high','urgent')),
	CONSTRAINT "problems_escalation_ck" CHECK ("problems"."escalation" in ('zone','city','province')),
	CONSTRAINT "problems_assigned_ck" CHECK ("problems"."state" in ('raised','merged') or "problems"."lead_unit_id" is not null),
	CONSTRAINT "problems_closed_ck" CHECK (("problems"."state" = 'closed') = ("problems"."closed_at" is not null)),
	CONSTRAINT "problems_merged_ck" CHECK (("problems"."state" = 'merged') = ("problems"."merged_into_id" is not null)),
	CONSTRAINT "problems_suspended_ck" CHECK (("problems"."state" = 'suspended') = ("problems"."suspended_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"target" text NOT NULL,
	"run_key" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_outbox_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "notification_outbox_channel_ck" CHECK ("notification_outbox"."channel" in ('email','dingtalk','wecom')),
	CONSTRAINT "notification_outbox_status_ck" CHECK ("notification_outbox"."status" in ('pending','sent','failed'))
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"link" text,
	"problem_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"emailed_at" timestamp with time zone,
	CONSTRAINT "notifications_zone_id_id_pk" PRIMARY KEY("zone_id","id")
);
--> statement-breakpoint
CREATE TABLE "robot_channels" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"webhook_enc" text NOT NULL,
	"secret_enc" text,
	"command_id" uuid,
	"enabled" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "robot_channels_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "robot_channels_kind_ck" CHECK ("robot_channels"."kind" in ('dingtalk','wecom'))
);
--> statement-breakpoint
CREATE TABLE "scheduled_jobs" (
	"zone_id" uuid NOT NULL,
	"name" text NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_error" text,
	"runs" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "scheduled_jobs_zone_id_name_pk" PRIMARY KEY("zone_id","name")
);
--> statement-breakpoint
ALTER TABLE "dictionary_entries" DROP CONSTRAINT "dictionary_entries_dictionary_ck";--> statement-breakpoint
ALTER TABLE "calendar_overrides" ADD CONSTRAINT "calendar_overrides_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_cooperating_units" ADD CONSTRAINT "problem_cooperating_units_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_cooperating_units" ADD CONSTRAINT "problem_cooperating_units_zone_id_problem_id_problems_zone_id_id_fk" FOREIGN KEY ("zone_id","problem_id") REFERENCES "public"."problems"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_cooperating_units" ADD CONSTRAINT "problem_cooperating_units_zone_id_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_counters" ADD CONSTRAINT "problem_counters_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_events" ADD CONSTRAINT "problem_events_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_events" ADD CONSTRAINT "problem_events_zone_id_problem_id_problems_zone_id_id_fk" FOREIGN KEY ("zone_id","problem_id") REFERENCES "public"."problems"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reminders" ADD CONSTRAINT "problem_reminders_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reminders" ADD CONSTRAINT "problem_reminders_zone_id_problem_id_problems_zone_id_id_fk" FOREIGN KEY ("zone_id","problem_id") REFERENCES "public"."problems"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_settings" ADD CONSTRAINT "problem_settings_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_zone_id_project_id_projects_zone_id_id_fk" FOREIGN KEY ("zone_id","project_id") REFERENCES "public"."projects"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_zone_id_command_id_commands_zone_id_id_fk" FOREIGN KEY ("zone_id","command_id") REFERENCES "public"."commands"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_zone_id_place_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","place_unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_zone_id_lead_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","lead_unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_zone_id_raised_by_users_zone_id_id_fk" FOREIGN KEY ("zone_id","raised_by") REFERENCES "public"."users"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_zone_id_merged_into_id_problems_zone_id_id_fk" FOREIGN KEY ("zone_id","merged_into_id") REFERENCES "public"."problems"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_zone_id_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "robot_channels" ADD CONSTRAINT "robot_channels_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "robot_channels" ADD CONSTRAINT "robot_channels_zone_id_command_id_commands_zone_id_id_fk" FOREIGN KEY ("zone_id","command_id") REFERENCES "public"."commands"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduled_jobs" ADD CONSTRAINT "scheduled_jobs_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "problem_cooperating_units_unit_idx" ON "problem_cooperating_units" USING btree ("zone_id","unit_id");--> statement-breakpoint
CREATE INDEX "problem_events_problem_idx" ON "problem_events" USING btree ("zone_id","problem_id","at");--> statement-breakpoint
CREATE INDEX "problem_events_action_idx" ON "problem_events" USING btree ("zone_id","action","at");--> statement-breakpoint
CREATE UNIQUE INDEX "problems_zone_code_uq" ON "problems" USING btree ("zone_id","code");--> statement-breakpoint
CREATE INDEX "problems_zone_state_idx" ON "problems" USING btree ("zone_id","state","deadline");--> statement-breakpoint
CREATE INDEX "problems_zone_lead_unit_idx" ON "problems" USING btree ("zone_id","lead_unit_id","state");--> statement-breakpoint
CREATE INDEX "problems_zone_command_idx" ON "problems" USING btree ("zone_id","command_id","state");--> statement-breakpoint
CREATE INDEX "problems_zone_project_idx" ON "problems" USING btree ("zone_id","project_id");--> statement-breakpoint
CREATE INDEX "problems_zone_raised_idx" ON "problems" USING btree ("zone_id","raised_on");--> statement-breakpoint
CREATE INDEX "problems_zone_closed_idx" ON "problems" USING btree ("zone_id","closed_on");--> statement-breakpoint
CREATE INDEX "problems_zone_source_idx" ON "problems" USING btree ("zone_id","source","source_id");--> statement-breakpoint
CREATE INDEX "problems_search_idx" ON "problems" USING gin ("search_doc");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_outbox_run_uq" ON "notification_outbox" USING btree ("zone_id","channel","target","run_key");--> statement-breakpoint
CREATE INDEX "notification_outbox_due_idx" ON "notification_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("zone_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_unemailed_idx" ON "notifications" USING btree ("zone_id","emailed_at") WHERE "notifications"."emailed_at" is null;--> statement-breakpoint
CREATE INDEX "scheduled_jobs_due_idx" ON "scheduled_jobs" USING btree ("next_run_at");--> statement-breakpoint
ALTER TABLE "dictionary_entries" ADD CONSTRAINT "dictionary_entries_dictionary_ck" CHECK ("dictionary_entries"."dictionary" in ('industry','project_kind','problem_category'));--> statement-breakpoint
-- Zones created before the closed loop get the default problem categories (new zones get them when seeded).
INSERT INTO "dictionary_entries" ("zone_id", "dictionary", "code", "label", "label_en", "sort_order")
SELECT z."id", 'problem_category', c.code, c.label, c.label_en, c.sort_order
FROM "zones" z CROSS JOIN (VALUES
  ('land', '土地要素', 'Land', 0), ('planning', '规划设计', 'Planning', 1), ('permits', '审批手续', 'Permits', 2),
  ('site_clearing', '征迁清表', 'Site clearing', 3), ('utilities', '水电气热配套', 'Utilities', 4),
  ('financing', '融资资金', 'Financing', 5), ('policy', '政策兑现', 'Policy', 6),
  ('environment', '环保生态', 'Environment', 7), ('other', '其他', 'Other', 8)
) AS c(code, label, label_en, sort_order)
-- Not the platform zone (the audit trail's zone for platform events): it holds no business data.
WHERE z."id" <> '00000000-0000-0000-0000-000000000000'
ON CONFLICT DO NOTHING;
