/**
 * A small made-up release range (projects KAFKA and PARQUET) with one commit for every pattern the real commit
 * corpus is known for (../shared/corpus/README.md, "Patterns that break a naive regex"): the `npm test`
 * counterpart of the corpus tests. Messages are written like the corpus's; expected results are stated by hand.
 */

export interface SyntheticCommit {
  /** A stand-in SHA (the CLI test imports the messages into git and gets real ones). */
  readonly sha: string;
  readonly message: string;
}

export const SYNTHETIC_PROJECTS: readonly string[] = ['KAFKA', 'PARQUET'];

const messages: readonly string[] = [
  // Reverts: applied, reverted, re-applied by a double revert in the same range → ships.
  'KAFKA-15661: KIP-951: Server side changes (#14444)',
  // Not keys: CVE-2023-4586, UTF-8, SHA-256, ISO-8601, PR-14347, GH-35086, PLAINTEXT-0; no key at all (MINOR:, TRIVIAL:).
  'MINOR: Upgrade netty to 4.1.100.Final to fix CVE-2023-4586 (#14590)',
  'MINOR: Always read the JAAS file as UTF-8 and publish SHA-256 checksums (#14211)',
  'MINOR: Log the expiry as ISO-8601, follow-up to PR-14347 and GH-35086 (#14361)',
  'TRIVIAL: Name the test listener PLAINTEXT-0',
  // KIP-714 and JDK-8015831 next to real keys.
  'KAFKA-15778: Implement KIP-714 client metrics plugin (#14620)',
  'KAFKA-15500: Work around JDK-8015831 in the class loader (#14410)',
  // A key of another project (HADOOP-18103) next to a real key.
  'PARQUET-2171: Implement vectored IO in parquet file format (HADOOP-18103)',
  // Version strings and paths: not PARQUET-1, not KAFKA-3, not a 19-digit KAFKA key.
  '[maven-release-plugin] prepare release apache-parquet-1.13.0-rc0',
  'MINOR: Drop kafka-3.6.2.jar from the system test image (#14999)',
  'MINOR: Delete /tmp/kafka-2594137463116889965 after the test (#14702)',
  // Case, separator and typo variants, a leading space.
  'Kafka-14748: Relax non-null FK left-join requirement (#14107)',
  'KAFKA 14515: Optimized Uniform Rack Aware Assignor (#14416)',
  'PARQUET_2429: Reduce direct input buffer churn',
  'KAKFA-15629: Update the timestamped store adapter (#14562)',
  ' KAFKA-15629: Update the timestamped store adapter, take two (#14563)',
  // Several keys in one subject.
  'KAFKA-16837, KAFKA-16838: Ignore task configs for deleted connectors (#16122)',
  'Revert "KAFKA-15661: KIP-951: Server side changes (#14444)" (#14738)\n\nThis reverts commit f38b0d8.',
  'Revert "Revert "KAFKA-15661: KIP-951: Server side changes (#14444)" (#14738)" (#14747)\n\nA fix was merged in #14757, hence unreverting this change.',
  // KAFKA-16089: Revert "KAFKA-14412: …" with a squashed body that also reverts KAFKA-16086.
  'KAFKA-14412: Better Rocks column family management (#14852)',
  'KAFKA-16086: Fix memory leak in RocksDBStore (#15135)',
  'KAFKA-16089: Revert "KAFKA-14412: Better Rocks column family management" (#15145)\n\n' +
    '* Revert "KAFKA-16086: Fix memory leak in RocksDBStore (#15135)"\n\n' +
    '* Revert "KAFKA-14412: Better Rocks column family management (#14852)"',
  // …and a fresh KAFKA-14412 commit after the revert ships it again.
  'KAFKA-14412: Add ProcessingThread tag interface (#14839)',
  // Shipped, then reverted by a revert that names no commit: stays reverted.
  'KAFKA-16341: Fix un-compressed records (#15476)',
  'Revert "KAFKA-16341: Fix un-compressed records (#15476)" (#15490)',
  // Body lines that name other issues.
  'KAFKA-16141: Fix StreamsStandbyTask system test (#15217)\n\n(cherry picked from commit 8b9715bb0c3c4e3b4c9e0ef2d0b1f7d7e5d7a1c2)',
  'PARQUET-2261: Add statistics for the size of byte arrays\n\nCloses #2154 from user/PARQUET-2262-take-2',
  'PARQUET-2265: Fix the reader\n\nRefs: PARQUET-1167, broken since PARQUET-3484',
  // The same key in many commits.
  'PARQUET-2265: Addendum to the reader fix',
  'PARQUET-2265: Test-only follow-up',
  // No key: HOTFIX:, dependabot Bump, release plumbing.
  'HOTFIX: Fix compilation error (#14520)',
  'Bump com.fasterxml.jackson.core:jackson-databind from 2.14.2 to 2.15.0 (#1100)',
  'Bump version to 3.7.0',
  // Punctuation around keys.
  '[PARQUET-1254] Support nested schemas',
  'Address review of `PARQUET-2472`',
  'PARQUET-2590_doc: Document the option',
  'Fix the NPE reported in PARQUET-2804.',
  'PARQUET-910: Fix reader',
];

/** Oldest first. */
export const SYNTHETIC_COMMITS: readonly SyntheticCommit[] = messages.map((message, i) => ({
  sha: (i + 1).toString(16).padStart(4, '0').repeat(10),
  message,
}));

/** The keys the range ships, sorted. */
export const SYNTHETIC_SHIPPED_KEYS: readonly string[] = [
  'KAFKA-14412',
  'KAFKA-14515',
  'KAFKA-14748',
  'KAFKA-15500',
  'KAFKA-15629',
  'KAFKA-15661',
  'KAFKA-15778',
  'KAFKA-16089',
  'KAFKA-16141',
  'KAFKA-16837',
  'KAFKA-16838',
  'PARQUET-1167',
  'PARQUET-1254',
  'PARQUET-2171',
  'PARQUET-2261',
  'PARQUET-2262',
  'PARQUET-2265',
  'PARQUET-2429',
  'PARQUET-2472',
  'PARQUET-2590',
  'PARQUET-2804',
  'PARQUET-3484',
  'PARQUET-910',
];

/** The keys the range takes out (shipped earlier in the range or before it, then reverted), sorted. */
export const SYNTHETIC_REVERTED_KEYS: readonly string[] = ['KAFKA-16086', 'KAFKA-16341'];

/** What a naive `[A-Z][A-Z0-9]+-\d+` (case-insensitive) would make of the traps: none of them is a key. */
export const SYNTHETIC_NOT_KEYS: readonly string[] = [
  'CVE-2023',
  'UTF-8',
  'SHA-256',
  'ISO-8601',
  'PR-14347',
  'GH-35086',
  'PLAINTEXT-0',
  'KIP-714',
  'KIP-951',
  'JDK-8015831',
  'HADOOP-18103',
  'PARQUET-1',
  'KAFKA-3',
  'KAFKA-2594137463116889965',
  'KAFKA-2594137',
  'KAKFA-15629',
];

/** Key-like tokens that are not keys of the projects, worth a "typo?" hint: the typo and the foreign key. */
export const SYNTHETIC_HINTED_TOKENS: readonly string[] = ['HADOOP-18103', 'KAKFA-15629'];
