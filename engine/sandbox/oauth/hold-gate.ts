import type { HeldRequests } from './types';

interface HeldRequest {
  run(): Promise<void>;
  /** Whether the client closed its connection while it waited. */
  gone(): boolean;
}

/**
 * Lets a test stop the token endpoint between receiving a request and processing it: what is held runs at release(),
 * one request after another in arrival order, as if it had just arrived — even when its client has gone meanwhile,
 * since a real provider commits what it received whether or not anyone reads the answer.
 */
export class HoldGate {
  private held = false;
  private queue: HeldRequest[] = [];

  /** Runs the task now, or at release() while holding. */
  pass(task: () => Promise<void>, gone: () => boolean): Promise<void> {
    if (!this.held) return task();
    return new Promise((resolve, reject) => {
      this.queue.push({ run: () => task().then(resolve, reject), gone });
    });
  }

  hold(): HeldRequests {
    this.held = true;
    return {
      release: () => this.release(),
      waiting: () => this.queue.length,
      abandoned: () => this.queue.filter((request) => request.gone()).length,
    };
  }

  release(): void {
    this.held = false;
    const batch = this.queue;
    this.queue = [];
    // Each run settles its own request's promise and never rejects, so one failure does not stop the others.
    void batch.reduce<Promise<void>>((previous, request) => previous.then(() => request.run()), Promise.resolve());
  }
}
