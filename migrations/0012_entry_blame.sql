ALTER TABLE "entries" ADD COLUMN "blame" jsonb;--> statement-breakpoint
CREATE INDEX "entries_flagged" ON "entries" USING btree ("incident_id","id") WHERE "entries"."blame" <> '[]'::jsonb;--> statement-breakpoint
CREATE INDEX "entries_unchecked" ON "entries" USING btree ("incident_id","id") WHERE "entries"."blame" is null;