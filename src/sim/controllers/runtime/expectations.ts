/**
 * ControllerExpectations: what a controller has asked the API for and not yet seen in its
 * informer. Until the creations and deletions it expects are observed (or five minutes pass),
 * it does not act on the key again, so nothing is created or deleted twice.
 */
import type { VirtualClock } from '../../clock';

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
}

export class Expectations {
  private readonly entries = new Map<string, Expectation>();

  constructor(private readonly clock: VirtualClock) {}

  /** True when nothing is pending for `key` (or the expectations expired). */
  satisfied(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expect(key: string, add: number, del: number): void {
    this.entries.set(key, { add, del, at: this.clock.now() });
  }

  creationObserved(key: string, n = 1): void {
    const e = this.entries.get(key);
    if (e) e.add -= n;
  }

  deletionObserved(key: string, n = 1): void {
    const e = this.entries.get(key);
    if (e) e.del -= n;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * Expectations for deletions of named objects (UIDTrackingControllerExpectations): a deletion
 * is observed once per object, however many delete events arrive for it.
 */
export class DeletionTracker {
  private readonly pending = new Map<string, Set<string>>();

  constructor(private readonly expectations: Expectations) {}

  /** Expects these objects to go (and, for controllers that do both in one sync, `creations` new ones). */
  expectDeletions(key: string, objectKeys: string[], creations = 0): void {
    this.pending.set(key, new Set(objectKeys));
    this.expectations.expect(key, creations, objectKeys.length);
  }

  deletionObserved(key: string, objectKey: string): void {
    const set = this.pending.get(key);
    if (!set?.delete(objectKey)) return;
    this.expectations.deletionObserved(key);
  }

  delete(key: string): void {
    this.pending.delete(key);
    this.expectations.delete(key);
  }
}
