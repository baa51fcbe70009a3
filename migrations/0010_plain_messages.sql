CREATE TABLE `chat_images` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_id` text NOT NULL,
	`open_id` text NOT NULL,
	`message_id` text NOT NULL,
	`image_key` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chat_images_sender` ON `chat_images` (`chat_id`,`open_id`,`at`);--> statement-breakpoint
CREATE INDEX `chat_images_at` ON `chat_images` (`at`);--> statement-breakpoint
CREATE TABLE `pending_intents` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`open_id` text NOT NULL,
	`chat_id` text NOT NULL,
	`chat_type` text NOT NULL,
	`message_id` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`result` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pending_intents_message` ON `pending_intents` (`message_id`);--> statement-breakpoint
ALTER TABLE `enterprises` ADD `aliases` text;