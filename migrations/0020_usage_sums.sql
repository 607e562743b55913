CREATE TABLE "usage_sums" (
	"incident_id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"sums_seq" bigint,
	"sums" jsonb
);
--> statement-breakpoint
ALTER TABLE "usage_sums" ADD CONSTRAINT "usage_sums_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Incidents with usage recorded before the counter: summed on their first read.
INSERT INTO "usage_sums" ("incident_id", "seq")
SELECT "incident_id", 1 FROM "harness_usage" UNION SELECT "incident_id", 1 FROM "summaries";
