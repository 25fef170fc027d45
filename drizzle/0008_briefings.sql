CREATE TABLE "briefing_subscriptions" (
	"zone_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"series" text NOT NULL,
	"command_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "briefing_subscriptions_zone_id_user_id_series_pk" PRIMARY KEY("zone_id","user_id","series"),
	CONSTRAINT "briefing_subscriptions_series_ck" CHECK (("briefing_subscriptions"."series" = 'zone') = ("briefing_subscriptions"."command_id" is null))
);
--> statement-breakpoint
CREATE TABLE "briefings" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"series" text NOT NULL,
	"command_id" uuid,
	"year" integer NOT NULL,
	"issue_no" integer NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"as_of" date NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"issuing_body" text NOT NULL,
	"content" jsonb NOT NULL,
	"docx_file_id" uuid NOT NULL,
	"pdf_file_id" uuid NOT NULL,
	"generated_by" uuid,
	"generated_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "briefings_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "briefings_kind_ck" CHECK ("briefings"."kind" in ('manual','weekly')),
	CONSTRAINT "briefings_series_ck" CHECK (("briefings"."series" = 'zone') = ("briefings"."command_id" is null)),
	CONSTRAINT "briefings_period_ck" CHECK ("briefings"."period_from" <= "briefings"."period_to")
);
--> statement-breakpoint
ALTER TABLE "briefing_subscriptions" ADD CONSTRAINT "briefing_subscriptions_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_subscriptions" ADD CONSTRAINT "briefing_subscriptions_zone_id_user_id_users_zone_id_id_fk" FOREIGN KEY ("zone_id","user_id") REFERENCES "public"."users"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_subscriptions" ADD CONSTRAINT "briefing_subscriptions_zone_id_command_id_commands_zone_id_id_fk" FOREIGN KEY ("zone_id","command_id") REFERENCES "public"."commands"("zone_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_zone_id_command_id_commands_zone_id_id_fk" FOREIGN KEY ("zone_id","command_id") REFERENCES "public"."commands"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "briefing_subscriptions_series_idx" ON "briefing_subscriptions" USING btree ("zone_id","series");--> statement-breakpoint
CREATE UNIQUE INDEX "briefings_issue_uq" ON "briefings" USING btree ("zone_id","series","year","issue_no");--> statement-breakpoint
CREATE INDEX "briefings_zone_created_idx" ON "briefings" USING btree ("zone_id","created_at");