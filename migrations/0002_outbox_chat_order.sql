ALTER TABLE `outbox` ADD `chat_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_chat` ON `outbox` (`chat_key`,`status`);