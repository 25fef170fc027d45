CREATE TABLE "command_members" (
	"zone_id" uuid NOT NULL,
	"command_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"member_role" text NOT NULL,
	"from_unit_id" uuid,
	"mode" text DEFAULT 'seconded' NOT NULL,
	"duty" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "command_members_zone_id_command_id_user_id_pk" PRIMARY KEY("zone_id","command_id","user_id"),
	CONSTRAINT "command_members_role_ck" CHECK ("command_members"."member_role" in ('leader','deputy','staff')),
	CONSTRAINT "command_members_mode_ck" CHECK ("command_members"."mode" in ('seconded','on_site'))
);
--> statement-breakpoint
CREATE TABLE "commands" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"area_unit_id" uuid,
	"leading_group_id" uuid,
	"responsibility" text,
	"established_on" date,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commands_zone_id_id_pk" PRIMARY KEY("zone_id","id")
);
--> statement-breakpoint
CREATE TABLE "enterprises" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"name" text NOT NULL,
	"credit_code" text NOT NULL,
	"legal_representative" text,
	"legal_rep_id_number_enc" text,
	"contact_name" text,
	"contact_phone_enc" text,
	"industry" text,
	"address" text,
	"unit_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprises_zone_id_id_pk" PRIMARY KEY("zone_id","id")
);
--> statement-breakpoint
CREATE TABLE "org_group_members" (
	"zone_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"member_role" text NOT NULL,
	"duty" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_group_members_zone_id_group_id_user_id_pk" PRIMARY KEY("zone_id","group_id","user_id"),
	CONSTRAINT "org_group_members_role_ck" CHECK ("org_group_members"."member_role" in ('head','deputy_head','member'))
);
--> statement-breakpoint
CREATE TABLE "org_groups" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"theme" text,
	"command_id" uuid,
	"established_on" date,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_groups_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "org_groups_kind_ck" CHECK ("org_groups"."kind" in ('leading_group','task_force'))
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"parent_id" uuid,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"description" text,
	"established_on" date,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "units_kind_ck" CHECK ("units"."kind" in ('committee','department','street','cluster','area','external')),
	CONSTRAINT "units_not_own_parent_ck" CHECK ("units"."parent_id" is null or "units"."parent_id" <> "units"."id")
);
--> statement-breakpoint
CREATE TABLE "zones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"short_name" text NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "zones_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "user_roles" (
	"zone_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_roles_zone_id_user_id_role_pk" PRIMARY KEY("zone_id","user_id","role"),
	CONSTRAINT "user_roles_role_ck" CHECK ("user_roles"."role" in ('zone_leader','hq_commander','hq_staff','unit_staff','service_agent','enterprise_contact','sys_admin','sec_admin','audit_admin'))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"title" text,
	"unit_id" uuid,
	"enterprise_id" uuid,
	"email" text,
	"phone_enc" text,
	"phone_digest" text,
	"password_hash" text NOT NULL,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"totp_secret_enc" text,
	"totp_enabled" boolean DEFAULT false NOT NULL,
	"totp_last_step" integer,
	"failed_sign_ins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled" boolean DEFAULT false NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_zone_id_id_pk" PRIMARY KEY("zone_id","id")
);
--> statement-breakpoint
CREATE TABLE "security_settings" (
	"zone_id" uuid PRIMARY KEY NOT NULL,
	"password_min_length" integer DEFAULT 10 NOT NULL,
	"password_min_classes" integer DEFAULT 3 NOT NULL,
	"password_max_age_days" integer DEFAULT 0 NOT NULL,
	"lockout_threshold" integer DEFAULT 5 NOT NULL,
	"lockout_minutes" integer DEFAULT 15 NOT NULL,
	"idle_timeout_minutes" integer DEFAULT 30 NOT NULL,
	"absolute_timeout_hours" integer DEFAULT 12 NOT NULL,
	"totp_required_for_all" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"zone_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE TABLE "audit_chain_heads" (
	"zone_id" uuid NOT NULL,
	"chain_no" integer NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_chain_heads_zone_id_chain_no_pk" PRIMARY KEY("zone_id","chain_no")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"zone_id" uuid NOT NULL,
	"chain_no" integer NOT NULL,
	"seq" bigint NOT NULL,
	"at" timestamp(6) with time zone NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"actor_role" text,
	"ip" text,
	"request_id" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"result" text DEFAULT 'ok' NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_zone_id_chain_no_seq_pk" PRIMARY KEY("zone_id","chain_no","seq")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"zone_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer,
	"body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_zone_id_user_id_key_pk" PRIMARY KEY("zone_id","user_id","key")
);
--> statement-breakpoint
ALTER TABLE "command_members" ADD CONSTRAINT "command_members_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "command_members" ADD CONSTRAINT "command_members_zone_id_command_id_commands_zone_id_id_fk" FOREIGN KEY ("zone_id","command_id") REFERENCES "public"."commands"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "command_members" ADD CONSTRAINT "command_members_zone_id_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "command_members" ADD CONSTRAINT "command_members_zone_id_from_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","from_unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commands" ADD CONSTRAINT "commands_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commands" ADD CONSTRAINT "commands_zone_id_area_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","area_unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commands" ADD CONSTRAINT "commands_zone_id_leading_group_id_org_groups_zone_id_id_fk" FOREIGN KEY ("zone_id","leading_group_id") REFERENCES "public"."org_groups"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_zone_id_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_group_members" ADD CONSTRAINT "org_group_members_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_group_members" ADD CONSTRAINT "org_group_members_zone_id_group_id_org_groups_zone_id_id_fk" FOREIGN KEY ("zone_id","group_id") REFERENCES "public"."org_groups"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_group_members" ADD CONSTRAINT "org_group_members_zone_id_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_groups" ADD CONSTRAINT "org_groups_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_zone_id_parent_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","parent_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_zone_id_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_zone_id_unit_id_units_zone_id_id_fk" FOREIGN KEY ("zone_id","unit_id") REFERENCES "public"."units"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_zone_id_enterprise_id_enterprises_zone_id_id_fk" FOREIGN KEY ("zone_id","enterprise_id") REFERENCES "public"."enterprises"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "security_settings" ADD CONSTRAINT "security_settings_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_zone_id_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "command_members_user_idx" ON "command_members" USING btree ("zone_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "commands_zone_name_uq" ON "commands" USING btree ("zone_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "enterprises_zone_credit_code_uq" ON "enterprises" USING btree ("zone_id","credit_code");--> statement-breakpoint
CREATE INDEX "enterprises_zone_name_idx" ON "enterprises" USING btree ("zone_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "org_groups_zone_kind_name_uq" ON "org_groups" USING btree ("zone_id","kind","name");--> statement-breakpoint
CREATE UNIQUE INDEX "units_zone_parent_name_uq" ON "units" USING btree ("zone_id",coalesce("parent_id", '00000000-0000-0000-0000-000000000000'::uuid),"name");--> statement-breakpoint
CREATE INDEX "units_zone_parent_idx" ON "units" USING btree ("zone_id","parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "users_zone_unit_idx" ON "users" USING btree ("zone_id","unit_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("zone_id","user_id");--> statement-breakpoint
CREATE INDEX "audit_log_zone_at_idx" ON "audit_log" USING btree ("zone_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_zone_entity_idx" ON "audit_log" USING btree ("zone_id","entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_zone_actor_idx" ON "audit_log" USING btree ("zone_id","actor_id","at");