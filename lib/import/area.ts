// Guesses which owner area an imported checklist item belongs to, from words in its text and in
// its section title. A guess only: people re-route items in the UI. Words are matched as whole
// words (tokens), so "db" does not match inside "feedback"; a trailing `*` matches a word prefix.

import { areas, type Area, type ChecklistData, type ChecklistItemData } from "@/lib/checklists/types";

type Vocabulary = Record<Exclude<Area, "GENERAL">, string[]> & { GENERAL: string[] };

/**
 * Terms per area. A term is one or more words separated by spaces; each word may end in `*`
 * (prefix match). `ci/cd` is written "ci cd" because text is split into words on punctuation.
 */
const vocabulary: Vocabulary = {
  DBA: [
    "database*",
    "db",
    "dbs",
    "dba",
    "sql",
    "nosql",
    "postgres*",
    "psql",
    "pgbouncer",
    "postgis",
    "mysql",
    "mariadb",
    "sqlite",
    "mongo*",
    "dynamodb",
    "redis",
    "elasticsearch",
    "cassandra",
    "index*",
    "migrat*",
    "alembic",
    "flyway",
    "liquibase",
    "backup*",
    "restore*",
    "replica*",
    "pool",
    "pools",
    "pooling",
    "connection pool*",
    "pitr",
    "point in time recovery",
    "schema*",
    "query",
    "queries",
    "table",
    "tables",
    "vacuum",
    "transaction*",
    "shard*",
    "seed*",
    "max connections",
    "slow quer*",
  ],
  SECURITY: [
    "security",
    "secure*",
    "secret*",
    "key rotation",
    "rotate*",
    "password*",
    "passphrase*",
    "auth",
    "authentic*",
    "authori*",
    "login*",
    "jwt",
    "oauth*",
    "token*",
    "tls",
    "ssl",
    "mtls",
    "https",
    "hsts",
    "certificate*",
    "cert",
    "certs",
    "cors",
    "csrf",
    "xss",
    "injection",
    "rate limit*",
    "throttl*",
    "header",
    "headers",
    "csp",
    "content security policy",
    "vulnerab*",
    "cve*",
    "encrypt*",
    "permission*",
    "rbac",
    "acl",
    "iam",
    "mfa",
    "2fa",
    "credential*",
    "firewall*",
    "waf",
    "sanitiz*",
    "sanitis*",
    "pentest*",
    "penetration",
    "owasp",
    "ddos",
    "brute force",
    "session*",
    "cookie*",
    "hashing",
    "bcrypt",
    "vpn",
    "ssh",
    "compliance",
    "gdpr",
    "pii",
    "privilege*",
    "api key*",
    "debug",
    "isolat*",
  ],
  DEVOPS: [
    "deploy*",
    "ci cd",
    "ci",
    "pipeline*",
    "docker*",
    "container*",
    "kubernetes",
    "kubectl",
    "k8s",
    "helm",
    "terraform",
    "ansible",
    "infra",
    "infrastructure",
    "server*",
    "nginx",
    "caddy",
    "load balanc*",
    "reverse proxy",
    "proxy",
    "monitor*",
    "alert*",
    "alarm*",
    "log",
    "logs",
    "logging",
    "logged",
    "metric*",
    "dashboard*",
    "grafana",
    "prometheus",
    "uptime",
    "scaling",
    "autoscal*",
    "auto scaling",
    "health*",
    "cpu",
    "memory",
    "ram",
    "disk",
    "dns",
    "cdn",
    "cloudwatch",
    "ec2",
    "s3",
    "systemd",
    "gunicorn",
    "uvicorn",
    "wsgi",
    "kafka",
    "hdfs",
    "hadoop",
    "rollback*",
    "roll back",
    "rollout*",
    "canary",
    "staging",
    "latency",
    "response time*",
    "throughput",
    "sentry",
    "on call",
    "pagerduty",
    "runbook*",
    "incident*",
    "disaster recovery",
    "network*",
    "static ip",
    "vercel",
    "registry",
    "restart*",
    "slo",
    "sli",
    "sla",
    "env",
    "environment*",
    "config",
    "configuration",
    "provision*",
    "install*",
  ],
  GENERAL: [
    "test*",
    "e2e",
    "qa",
    "document*",
    "doc",
    "docs",
    "readme",
    "guide*",
    "feedback",
    "business",
    "email*",
    "notification*",
    "team",
    "trained",
    "training",
    "code review*",
    "lint*",
    "coverage",
    "accessibility",
    "a11y",
    "seo",
    "ux",
    "user flow*",
    "support",
    "legal",
    "licen*",
    "cost*",
    "budget*",
    "stakeholder*",
    "communication*",
    "benchmark*",
  ],
};

/**
 * Terms that name their owner without doubt count double: a secret is Security's wherever it is
 * stored, a database is the DBA's whatever is done to it.
 */
const strongTerms = new Set([
  "secret*",
  "password*",
  "credential*",
  "tls",
  "ssl",
  "https",
  "cors",
  "csrf",
  "xss",
  "injection",
  "vulnerab*",
  "encrypt*",
  "rbac",
  "waf",
  "pentest*",
  "penetration",
  "database*",
  "db",
  "sql",
  "postgres*",
  "mysql",
  "mongo*",
  "dynamodb",
  "pitr",
  "kubernetes",
  "k8s",
  "terraform",
  "helm",
]);

/** Item words count this many times more than section-title words. */
const ITEM_WEIGHT = 3;

/** When scores tie, the more specific owner wins. */
const tieOrder: Area[] = ["SECURITY", "DBA", "DEVOPS", "GENERAL"];

type Term = { words: string[]; weight: number };
const terms: Record<Area, Term[]> = {
  DBA: compile(vocabulary.DBA),
  SECURITY: compile(vocabulary.SECURITY),
  DEVOPS: compile(vocabulary.DEVOPS),
  GENERAL: compile(vocabulary.GENERAL),
};

function compile(list: string[]): Term[] {
  return list.map((term) => ({ words: term.split(" "), weight: strongTerms.has(term) ? 2 : 1 }));
}

/** Lower-case words; anything that is not a letter or digit separates words. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
}

function wordMatches(pattern: string, word: string): boolean {
  return pattern.endsWith("*") ? word.startsWith(pattern.slice(0, -1)) : word === pattern;
}

function termOccurs(term: Term, words: string[]): boolean {
  const length = term.words.length;
  for (let start = 0; start + length <= words.length; start++) {
    if (term.words.every((pattern, offset) => wordMatches(pattern, words[start + offset] ?? ""))) return true;
  }
  return false;
}

/** The weighted number of distinct terms of each area that occur in the text. */
export function scoreText(text: string): Record<Area, number> {
  const words = tokenize(text);
  const score = { DEVOPS: 0, DBA: 0, SECURITY: 0, GENERAL: 0 };
  for (const area of tieOrder) {
    for (const term of terms[area]) if (termOccurs(term, words)) score[area] += term.weight;
  }
  return score;
}

/**
 * The likely owner of an item: the item's own words decide, the section title adds a little
 * (so it breaks ties and decides when the item says nothing), and GENERAL when nothing matches.
 */
export function guessArea(sectionTitle: string, itemText: string): Area {
  const item = scoreText(itemText);
  const section = scoreText(sectionTitle);
  let best: Area = "GENERAL";
  let bestTotal = 0;
  let bestItem = 0;
  for (const area of tieOrder) {
    const total = ITEM_WEIGHT * item[area] + section[area];
    if (total > bestTotal || (total === bestTotal && total > 0 && item[area] > bestItem)) {
      best = area;
      bestTotal = total;
      bestItem = item[area];
    }
  }
  return best;
}

export type AreaConfusion = Record<Area, Record<Area, number>>;

/** Accuracy and confusion matrix (rows: expected, columns: guessed) of a labelled set of guesses. */
export function evaluateAreaGuesses(pairs: { expected: Area; guessed: Area }[]): {
  total: number;
  correct: number;
  accuracy: number;
  confusion: AreaConfusion;
} {
  const confusion = Object.fromEntries(
    areas.map((expected) => [expected, Object.fromEntries(areas.map((guessed) => [guessed, 0]))]),
  ) as AreaConfusion;
  let correct = 0;
  for (const { expected, guessed } of pairs) {
    confusion[expected][guessed] += 1;
    if (expected === guessed) correct += 1;
  }
  return { total: pairs.length, correct, accuracy: pairs.length === 0 ? 0 : correct / pairs.length, confusion };
}

/** The confusion matrix as an aligned text table, for scripts and test logs. */
export function formatConfusion(confusion: AreaConfusion): string {
  const width = Math.max(...areas.map((area) => area.length)) + 2;
  const header = ["expected \\ guessed".padEnd(20), ...areas.map((area) => area.padStart(width))].join("");
  const rows = areas.map((expected) =>
    [expected.padEnd(20), ...areas.map((guessed) => String(confusion[expected][guessed]).padStart(width))].join(""),
  );
  return [header, ...rows].join("\n");
}

/** One hand-labelled item: who a production-readiness reviewer would route it to. */
export type AreaLabel = { file: string; section: string; title: string; area: Area };

/** Checks the shape of a labels file (lib/import/area-labels.json). */
export function parseAreaLabels(value: unknown): AreaLabel[] {
  if (!Array.isArray(value)) throw new Error("Area labels must be an array.");
  return value.map((entry: unknown, index) => {
    const row = (entry ?? {}) as Record<string, unknown>;
    const { file, section, title, area } = row;
    if (typeof file !== "string" || typeof section !== "string" || typeof title !== "string" || !areas.includes(area as Area)) {
      throw new Error(`Area label ${index} is not { file, section, title, area }.`);
    }
    return { file, section, title, area: area as Area };
  });
}

/**
 * Pairs each label with the area the importer gave the same item. Items are matched in document
 * order and must agree on file, section and title, so a label can never be compared with the
 * wrong item.
 */
export function matchLabels(
  imported: { file: string; checklist: ChecklistData }[],
  labels: AreaLabel[],
): { label: AreaLabel; guessed: Area }[] {
  const items: AreaLabel[] = [];
  for (const { file, checklist } of imported) {
    const visit = (list: ChecklistItemData[], section: string) => {
      for (const item of list) {
        items.push({ file, section, title: item.title, area: item.area });
        visit(item.children, section);
      }
    };
    for (const section of checklist.sections) visit(section.items, section.title);
  }
  if (items.length !== labels.length) throw new Error(`The files give ${items.length} items; there are ${labels.length} labels.`);
  return labels.map((label, index) => {
    const item = items[index];
    if (!item || item.file !== label.file || item.section !== label.section || item.title !== label.title) {
      throw new Error(`Label ${index} ("${label.title}") does not match the imported item "${item?.title ?? ""}".`);
    }
    return { label, guessed: item.area };
  });
}
