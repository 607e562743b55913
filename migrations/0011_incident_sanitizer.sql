ALTER TABLE "incidents" ADD COLUMN "sanitizer_key" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "allowances" jsonb DEFAULT '[]'::jsonb NOT NULL;