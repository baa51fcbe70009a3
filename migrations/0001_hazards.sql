CREATE TABLE `enforcement_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enterprise_id` integer NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer DEFAULT 0 NOT NULL,
	`people` integer DEFAULT 0 NOT NULL,
	`note` text,
	`actor_open_id` text,
	`at` integer NOT NULL,
	`import_key` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enforcement_actions_import_key_unique` ON `enforcement_actions` (`import_key`);--> statement-breakpoint
CREATE INDEX `enforcement_at` ON `enforcement_actions` (`at`);--> statement-breakpoint
CREATE INDEX `enforcement_enterprise` ON `enforcement_actions` (`enterprise_id`,`at`);--> statement-breakpoint
CREATE TABLE `enterprises` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`sector` text DEFAULT 'other' NOT NULL,
	`township` text,
	`address` text,
	`supervisor_open_id` text,
	`contact_open_id` text,
	`registered` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enterprises_name_unique` ON `enterprises` (`name`);--> statement-breakpoint
CREATE INDEX `enterprises_township` ON `enterprises` (`township`);--> statement-breakpoint
CREATE INDEX `enterprises_sector` ON `enterprises` (`sector`);--> statement-breakpoint
CREATE TABLE `hazard_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hazard_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_open_id` text,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `hazard_events_hazard` ON `hazard_events` (`hazard_id`,`at`);--> statement-breakpoint
CREATE TABLE `hazard_photos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hazard_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`image_key` text NOT NULL,
	`uploaded_by` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hazard_photos_unique` ON `hazard_photos` (`hazard_id`,`image_key`);--> statement-breakpoint
CREATE TABLE `hazards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`no` text NOT NULL,
	`enterprise_id` integer NOT NULL,
	`sector` text NOT NULL,
	`township` text,
	`level` text NOT NULL,
	`description` text NOT NULL,
	`reporter_open_id` text,
	`assignee_open_id` text,
	`deadline` integer,
	`status` text NOT NULL,
	`source_chat_id` text,
	`source_message_id` text,
	`card_outbox_id` text,
	`inspection_id` integer,
	`reported_at` integer NOT NULL,
	`dispatched_at` integer,
	`rectified_at` integer,
	`closed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hazards_no_unique` ON `hazards` (`no`);--> statement-breakpoint
CREATE INDEX `hazards_status_deadline` ON `hazards` (`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `hazards_enterprise` ON `hazards` (`enterprise_id`);--> statement-breakpoint
CREATE INDEX `hazards_reported_at` ON `hazards` (`reported_at`);--> statement-breakpoint
CREATE INDEX `hazards_assignee` ON `hazards` (`assignee_open_id`,`status`);--> statement-breakpoint
CREATE INDEX `hazards_source_message` ON `hazards` (`source_message_id`);--> statement-breakpoint
CREATE TABLE `inspections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enterprise_id` integer NOT NULL,
	`inspector_open_id` text,
	`at` integer NOT NULL,
	`covert` integer DEFAULT false NOT NULL,
	`import_key` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inspections_import_key_unique` ON `inspections` (`import_key`);--> statement-breakpoint
CREATE INDEX `inspections_at` ON `inspections` (`at`);--> statement-breakpoint
CREATE INDEX `inspections_enterprise` ON `inspections` (`enterprise_id`,`at`);--> statement-breakpoint
CREATE TABLE `sequences` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `subject` text;--> statement-breakpoint
CREATE INDEX `outbox_lark_message` ON `outbox` (`lark_message_id`);