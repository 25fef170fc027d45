import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Config } from '../../config.ts';

/**
 * E-mail through an SMTP server (QIBU_SMTP_URL, e.g. `smtp://user:pass@mail.example.gov.cn:587` — STARTTLS when
 * the server offers it — or `smtps://…:465`). Only digests are mailed (digest.ts), never one mail per event.
 */

export interface Mailer {
  send(to: string, subject: string, text: string): Promise<void>;
  close(): void;
}

export function mailEnabled(config: Config): boolean {
  return Boolean(config.smtpUrl);
}

/** One SMTP connection pool for a sending pass; null when no SMTP server is configured. */
export function openMailer(config: Config): Mailer | null {
  if (!config.smtpUrl) return null;
  const options: SMTPTransport.Options = { url: config.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };
  const transport = nodemailer.createTransport(options);
  return {
    async send(to, subject, text) {
      await transport.sendMail({ from: config.mailFrom, to, subject, text, textEncoding: 'base64' });
    },
    close() {
      transport.close();
    },
  };
}
