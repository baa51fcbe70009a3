CREATE TABLE `hazard_extensions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hazard_id` integer NOT NULL,
	`requested_by` text NOT NULL,
	`from_deadline` integer NOT NULL,
	`to_deadline` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`decision_note` text,
	`card_outbox_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `hazard_extensions_hazard` ON `hazard_extensions` (`hazard_id`,`status`);--> statement-breakpoint
CREATE TABLE `tips` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`no` text NOT NULL,
	`description` text NOT NULL,
	`enterprise_name` text,
	`township` text,
	`tipster_phone` text,
	`status` text NOT NULL,
	`received_by` text,
	`received_at` integer NOT NULL,
	`assignee_open_id` text,
	`assigned_by` text,
	`assigned_at` integer,
	`deadline` integer,
	`substantiated` integer,
	`verify_note` text,
	`verified_at` integer,
	`feedback` text,
	`closed_at` integer,
	`source_chat_id` text,
	`source_message_id` text,
	`card_outbox_id` text,
	`next_nag_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tips_no_unique` ON `tips` (`no`);--> statement-breakpoint
CREATE INDEX `tips_status` ON `tips` (`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `tips_received_at` ON `tips` (`received_at`);--> statement-breakpoint
CREATE INDEX `tips_next_nag` ON `tips` (`next_nag_at`);--> statement-breakpoint
ALTER TABLE `hazards` ADD `measures` text;--> statement-breakpoint
ALTER TABLE `hazards` ADD `funds_fen` integer;--> statement-breakpoint
ALTER TABLE `hazards` ADD `contingency` text;--> statement-breakpoint
ALTER TABLE `hazards` ADD `source` text DEFAULT 'inspection' NOT NULL;--> statement-breakpoint
ALTER TABLE `hazards` ADD `on_the_spot` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `hazards` ADD `original_deadline` integer;--> statement-breakpoint
ALTER TABLE `hazards` ADD `extensions` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `hazards` ADD `verifier_open_id` text;--> statement-breakpoint
ALTER TABLE `hazards` ADD `supervise_level` text;--> statement-breakpoint
ALTER TABLE `hazards` ADD `supervise_unit` text;--> statement-breakpoint
ALTER TABLE `hazards` ADD `supervise_open_id` text;--> statement-breakpoint
ALTER TABLE `hazards` ADD `supervised_at` integer;--> statement-breakpoint
ALTER TABLE `hazards` ADD `tip_id` integer;--> statement-breakpoint
CREATE INDEX `hazards_stats_source` ON `hazards` (`source`,`reported_at`,`township`,`status`) WHERE source <> 'inspection';--> statement-breakpoint
CREATE INDEX `hazards_stats_late` ON `hazards` (`reported_at`,`township`,`status`,`rectified_at`,`original_deadline`,`deadline`) WHERE rectified_at > coalesce(original_deadline, deadline);--> statement-breakpoint
CREATE INDEX `hazards_stats_flags` ON `hazards` (`reported_at`,`township`,`on_the_spot`,`supervise_level`,`extensions`) WHERE on_the_spot = 1 OR supervise_level IS NOT NULL OR extensions > 0;--> statement-breakpoint
CREATE INDEX `hazards_tip` ON `hazards` (`tip_id`);