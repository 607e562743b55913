ALTER TABLE "entries" ADD COLUMN "token_id" text;--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "via" text;--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "received_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Entries written before this migration: their receipt is in the log row that added them.
UPDATE "entries" SET "token_id" = u."token_id", "via" = t."label", "received_at" = u."created_at"
FROM "updates" u LEFT JOIN "tokens" t ON t."id" = u."token_id"
WHERE u."incident_id" = "entries"."incident_id" AND u."seq" = "entries"."seq";
