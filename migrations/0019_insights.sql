CREATE TABLE "incident_figures" (
	"incident_id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"figures" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "milestones" jsonb;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "declared_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incident_figures" ADD CONSTRAINT "incident_figures_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incidents_declared" ON "incidents" USING btree ("declared_at");