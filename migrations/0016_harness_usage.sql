CREATE TABLE "harness_usage" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" text NOT NULL,
	"token_id" text NOT NULL,
	"session_id" text NOT NULL,
	"model" text NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"series" text NOT NULL,
	"start_ns" bigint NOT NULL,
	"end_ns" bigint NOT NULL,
	"value" double precision NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "harness_usage" ADD CONSTRAINT "harness_usage_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harness_usage" ADD CONSTRAINT "harness_usage_token_id_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "harness_usage_point" ON "harness_usage" USING btree ("incident_id","token_id","source","series","kind","start_ns","end_ns");--> statement-breakpoint
CREATE INDEX "harness_usage_incident_at" ON "harness_usage" USING btree ("incident_id","at");