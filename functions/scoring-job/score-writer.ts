import type { ProfileScores, ScoreIndexKeys } from './profile-scores';

export interface ProfileScoreEntry {
  readonly profileId: string;
  readonly scores: ProfileScores;
  readonly index: ScoreIndexKeys;
}

export interface ScoreWriteCounts {
  readonly written: number;
  /** The profile no longer exists: nothing written (a score never brings a deleted profile back). */
  readonly missing: number;
  /** A later run has scored the profile already: left as it is. */
  readonly superseded: number;
}

/** Writes scores onto profiles, touching nothing else on them. Idempotent per run and profile. */
export interface ScoreWriter {
  write(entries: readonly ProfileScoreEntry[]): Promise<ScoreWriteCounts>;
}
