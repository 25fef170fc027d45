import path from 'node:path';

/** Runtime configuration, read once from the environment. Every knob is listed in README's table. */
export interface Config {
  port: number;
  host: string;
  /** Where PGlite keeps its database, the secret key file and uploaded files. */
  dataDir: string;
  /** When set, a PostgreSQL server is used instead of the embedded PGlite. */
  databaseUrl: string | undefined;
  /** Load the demo zone on first start (QIBU_DEMO=0 starts an empty instance). */
  demo: boolean;
  demoPassword: string;
  /** Hex or base64 secret; when absent a key file is generated in dataDir (mode 0600). */
  secretKey: string | undefined;
  /** Set the Secure flag on the session cookie (on behind TLS). */
  cookieSecure: boolean;
  /** Trust X-Forwarded-* from a reverse proxy. */
  trustProxy: boolean;
  logLevel: string;
  /** Sign-in attempts per minute from one address for one name (lockout covers slow guessing). */
  authRateLimit: number;
  /** SMTP server for e-mail digests (smtp://user:pass@host:587, smtps://…:465); unset: no e-mail. */
  smtpUrl: string | undefined;
  /** The From of e-mail digests. */
  mailFrom: string;
  /** The address users open Qibu at, for links in e-mails and robot messages (https://qibu.example.gov.cn). */
  publicUrl: string | undefined;
  /** How often this instance's scheduler ticks, in seconds; 0: this instance runs no scheduled jobs. */
  schedulerSeconds: number;
  /** How often event notices are gathered into e-mail digests, in minutes. */
  digestMinutes: number;
  /** Attempts per e-mail or robot message before it is given up (marked failed). */
  notifyMaxAttempts: number;
  /** An XYZ tile URL template for the big screen's map ({z}/{x}/{y}); unset: the map draws the zone's GeoJSON only. */
  mapTileUrl: string | undefined;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.QIBU_DATA_DIR ?? './data');
  return {
    port: Number(env.PORT ?? 8080),
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    demo: flag(env.QIBU_DEMO, true),
    demoPassword: env.QIBU_DEMO_PASSWORD || 'Qibu@2026!',
    secretKey: env.QIBU_SECRET_KEY || undefined,
    cookieSecure: flag(env.QIBU_COOKIE_SECURE, false),
    trustProxy: flag(env.QIBU_TRUST_PROXY, false),
    logLevel: env.LOG_LEVEL ?? 'info',
    authRateLimit: Number(env.QIBU_AUTH_RATE_LIMIT ?? 20),
    smtpUrl: env.QIBU_SMTP_URL || undefined,
    mailFrom: env.QIBU_MAIL_FROM || '"起步 Qibu" <qibu@localhost>',
    publicUrl: env.QIBU_PUBLIC_URL ? env.QIBU_PUBLIC_URL.replace(/\/+$/, '') : undefined,
    schedulerSeconds: Number(env.QIBU_SCHEDULER_SECONDS ?? 30),
    digestMinutes: Math.max(1, Number(env.QIBU_DIGEST_MINUTES ?? 5)),
    notifyMaxAttempts: Math.max(1, Number(env.QIBU_NOTIFY_MAX_ATTEMPTS ?? 6)),
    mapTileUrl: env.QIBU_MAP_TILE_URL || undefined,
  };
}
