CREATE TABLE `api_calls` (
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `kind`)
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `replaced_by` text;