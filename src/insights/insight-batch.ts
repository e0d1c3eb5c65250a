// Sends the session objects' insight records to the one insights object in
// batches, after the answer has gone out. An RPC costs about as much CPU as
// the rest of an /ask together (bench/README.md), and every record goes to a
// single object: one RPC per batch, not per answer, keeps both costs small.
//
// The batch is module state, shared by every session object in the isolate.
// Its timer runs in the object that set it, which stays alive until the timer
// has fired and the call is made (the compatibility date is past 2026-10-01,
// from when pending timers and waitUntil keep a Durable Object running).

import type { InsightRecord } from "./insight-records";
import { insightsObject } from "./insights-object";

const BATCH_DELAY_MS = 1000;
const MAX_BATCH = 100;

let pending: InsightRecord[] = [];
// When the scheduled flush is due. The timer of an object that was reset
// never fires, so one overdue by a whole delay is taken for lost.
let flushDue = 0;

/** Queues a record; it is sent within BATCH_DELAY_MS, or at once when the batch is full. */
export function sendInsight(env: Env, ctx: DurableObjectState, record: InsightRecord): void {
  pending.push(record);
  if (pending.length >= MAX_BATCH) {
    flush(env, ctx);
  } else if (Date.now() > flushDue + BATCH_DELAY_MS) {
    flushDue = Date.now() + BATCH_DELAY_MS;
    setTimeout(() => {
      flushDue = 0;
      flush(env, ctx);
    }, BATCH_DELAY_MS);
  }
}

// Writes are idempotent (see InsightsObject.write), so a failed batch is sent
// once more through a new stub; if that fails too, the batch is lost and logged.
function flush(env: Env, ctx: DurableObjectState): void {
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  ctx.waitUntil(
    insightsObject(env)
      .write(batch)
      .catch(() => insightsObject(env).write(batch))
      .catch((error: unknown) => {
        const name = error instanceof Error ? error.name : "Error";
        console.error(JSON.stringify({ level: "error", where: "insights", error: name, lost: batch.length }));
      }),
  );
}
