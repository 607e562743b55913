-- Snapshots are now deflated and stored in parts. Older ones were plain: drop them (they are a
-- cache of the log, which stays whole; a load writes a fresh snapshot when its tail is long).
DELETE FROM "snapshots";--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "part" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "snapshots" DROP CONSTRAINT "snapshots_incident_id_seq_pk";--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_incident_id_seq_part_pk" PRIMARY KEY("incident_id","seq","part");
