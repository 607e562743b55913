ALTER TABLE "incidents" ADD COLUMN "private" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tokens" ADD COLUMN "isolated" boolean DEFAULT false NOT NULL;