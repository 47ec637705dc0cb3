// How many requests an instance serves at once, and how many may wait. Past that, a request is
// turned away at once (the edge answers 503 with Retry-After) instead of joining a queue whose
// wait only grows: an overloaded instance then answers everyone quickly, some of them "try again
// shortly", rather than everyone in seconds, and its memory stays bounded by what it holds.

export type AdmissionLimits = {
  /** Requests served at once. */
  maxConcurrent: number;
  /** Requests waiting for a slot, first come first served. */
  maxQueued: number;
  /** The longest a request waits for a slot. */
  maxWaitMs: number;
};

/** Why a request was turned away. */
export type Refusal = "queue_full" | "queue_timeout";

export type Admission = { admitted: true; release: () => void } | { admitted: false; reason: Refusal };

type Waiter = { grant: (admission: Admission) => void; timer: NodeJS.Timeout };

export class AdmissionGate {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limits: AdmissionLimits) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A slot now, one after waiting, or a refusal. `abandoned` (the client went away while waiting)
   * gives the place in the queue up. Every admitted request must call `release` once.
   */
  admit(abandoned?: AbortSignal): Promise<Admission> {
    if (this.active < this.limits.maxConcurrent && this.waiting.length === 0) return Promise.resolve(this.grant());
    if (this.waiting.length >= this.limits.maxQueued) return Promise.resolve({ admitted: false, reason: "queue_full" });
    return new Promise<Admission>((resolve) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          this.leave(waiter);
          resolve({ admitted: false, reason: "queue_timeout" });
        }, this.limits.maxWaitMs),
      };
      this.waiting.push(waiter);
      abandoned?.addEventListener(
        "abort",
        () => {
          if (!this.leave(waiter)) return;
          clearTimeout(waiter.timer);
          resolve({ admitted: false, reason: "queue_timeout" });
        },
        { once: true },
      );
    });
  }

  private grant(): Admission {
    this.active += 1;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.active -= 1;
        this.next();
      },
    };
  }

  private next(): void {
    while (this.active < this.limits.maxConcurrent) {
      const waiter = this.waiting.shift();
      if (!waiter) return;
      clearTimeout(waiter.timer);
      waiter.grant(this.grant());
    }
  }

  private leave(waiter: Waiter): boolean {
    const index = this.waiting.indexOf(waiter);
    if (index === -1) return false;
    this.waiting.splice(index, 1);
    return true;
  }
}
