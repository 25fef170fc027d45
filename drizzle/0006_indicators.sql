CREATE TABLE "indicator_districts" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'district' NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_districts_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "indicator_districts_kind_ck" CHECK ("indicator_districts"."kind" in ('self','district','city'))
);
--> statement-breakpoint
CREATE TABLE "indicator_values" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"district_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"month" integer NOT NULL,
	"value" numeric(20, 4),
	"growth" numeric(7, 2),
	"growth_source" text,
	"source" text NOT NULL,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_values_zone_id_id_pk" PRIMARY KEY("zone_id","id"),
	CONSTRAINT "indicator_values_period_ck" CHECK ("indicator_values"."year" between 2000 and 2100 and "indicator_values"."month" between 1 and 12),
	CONSTRAINT "indicator_values_figure_ck" CHECK ("indicator_values"."value" is not null or "indicator_values"."growth" is not null),
	CONSTRAINT "indicator_values_value_ck" CHECK ("indicator_values"."value" is null or "indicator_values"."value" >= 0),
	CONSTRAINT "indicator_values_growth_source_ck" CHECK (("indicator_values"."growth" is null) = ("indicator_values"."growth_source" is null) and ("indicator_values"."growth_source" is null or "indicator_values"."growth_source" in ('entered','computed'))),
	CONSTRAINT "indicator_values_source_ck" CHECK ("indicator_values"."source" in ('manual','import'))
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"unit" text NOT NULL,
	"publishes_value" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicators_zone_id_id_pk" PRIMARY KEY("zone_id","id")
);
--> statement-breakpoint
ALTER TABLE "indicator_districts" ADD CONSTRAINT "indicator_districts_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_zone_id_indicator_id_indicators_zone_id_id_fk" FOREIGN KEY ("zone_id","indicator_id") REFERENCES "public"."indicators"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_zone_id_district_id_indicator_districts_zone_id_id_fk" FOREIGN KEY ("zone_id","district_id") REFERENCES "public"."indicator_districts"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_zone_id_updated_by_users_zone_id_id_fk" FOREIGN KEY ("zone_id","updated_by") REFERENCES "public"."users"("zone_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_districts_name_uq" ON "indicator_districts" USING btree ("zone_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_districts_self_uq" ON "indicator_districts" USING btree ("zone_id") WHERE "indicator_districts"."kind" = 'self';--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_districts_city_uq" ON "indicator_districts" USING btree ("zone_id") WHERE "indicator_districts"."kind" = 'city';--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_values_period_uq" ON "indicator_values" USING btree ("zone_id","indicator_id","district_id","year","month");--> statement-breakpoint
CREATE INDEX "indicator_values_zone_period_idx" ON "indicator_values" USING btree ("zone_id","year","month");--> statement-breakpoint
CREATE UNIQUE INDEX "indicators_code_uq" ON "indicators" USING btree ("zone_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "indicators_name_uq" ON "indicators" USING btree ("zone_id","name");--> statement-breakpoint
-- Zones created before the indicators module get the default indicators and districts (new zones get them when
-- seeded: src/server/modules/indicators/indicators.defaults.ts, keep the two in step). The platform zone has none.
INSERT INTO "indicators" ("zone_id", "code", "name", "name_en", "unit", "publishes_value", "sort_order")
SELECT z."id", d.code, d.name, d.name_en, d.unit, d.publishes_value, d.sort_order
FROM "zones" z CROSS JOIN (VALUES
  ('gdp', '地区生产总值', 'GDP', '亿元', true, 0),
  ('fixed_asset_investment', '固定资产投资', 'Fixed-asset investment', '亿元', false, 1),
  ('industrial_value_added', '规模以上工业增加值', 'Industrial value added above designated size', '亿元', false, 2),
  ('retail_sales', '社会消费品零售总额', 'Retail sales of consumer goods', '亿元', true, 3),
  ('budget_revenue', '一般公共预算收入', 'General public budget revenue', '亿元', true, 4),
  ('foreign_capital', '实际使用外资', 'Foreign capital actually used', '万美元', true, 5)
) AS d(code, name, name_en, unit, publishes_value, sort_order)
WHERE z."id" <> '00000000-0000-0000-0000-000000000000'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "indicator_districts" ("zone_id", "name", "kind", "sort_order")
SELECT z."id", d.name, d.kind, d.sort_order
FROM "zones" z CROSS JOIN (VALUES
  ('全市', 'city', 0), ('历下区', 'district', 2), ('市中区', 'district', 3), ('槐荫区', 'district', 4),
  ('天桥区', 'district', 5), ('历城区', 'district', 6), ('长清区', 'district', 7), ('章丘区', 'district', 8),
  ('济阳区', 'district', 9), ('莱芜区', 'district', 10), ('钢城区', 'district', 11), ('平阴县', 'district', 12),
  ('商河县', 'district', 13), ('高新区', 'district', 14)
) AS d(name, kind, sort_order)
WHERE z."id" <> '00000000-0000-0000-0000-000000000000' AND d.name <> z."short_name"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "indicator_districts" ("zone_id", "name", "kind", "sort_order")
SELECT z."id", z."short_name", 'self', 1 FROM "zones" z
WHERE z."id" <> '00000000-0000-0000-0000-000000000000'
ON CONFLICT DO NOTHING;
