/** Everything generated code may reach, under one object (`R` in the generated source). */
import * as values from './values';
import * as path from './path';
import * as functions from './functions';
import { jerr, locate, NeedsAsync, Unsupported } from './errors';
import type { Guard } from './guard';
import { boundedConcat } from './text';
import * as lambdas from './lambdas';
import { fromTailCall, leftLambda } from './marks';
import { signature, unvalidated } from './signature';
import { orderBy, orderByA } from './order-by';
import { transform, transformA } from './transform';
import * as tuples from './tuples';

const SLOW = Symbol('slow');

export const R = {
  ...values,
  ...path,
  call: functions.call,
  call1: functions.call1,
  call2: functions.call2,
  call3: functions.call3,
  callA: functions.callA,
  dynamicFree: functions.dynamicFree,
  staticFree: functions.staticFree,
  free: functions.free,
  applyTo: lambdas.applyTo,
  applyToA: lambdas.applyToA,
  partial: lambdas.partial,
  HOLE: lambdas.HOLE,
  TailCall: lambdas.TailCall,
  trampoline: lambdas.trampoline,
  trampolineA: lambdas.trampolineA,
  tailCallNow: lambdas.tailCallNow,
  tailCallNowA: lambdas.tailCallNowA,
  leftLambda,
  fromTailCall,
  tailProcedure: lambdas.tailProcedure,
  takeCaller: functions.takeCaller,
  BODY: lambdas.BODY,
  SIGNATURE: lambdas.SIGNATURE,
  LAMBDA: lambdas.LAMBDA,
  signature,
  unvalidated,
  orderBy,
  orderByA,
  transform,
  transformA,
  ...tuples,
  regex: functions.regex,
  /** `l & r` past the fast path (a value to stringify, or a result near the string limit): D1014 at the operator. */
  concatAt(g: Guard, l: unknown, r: unknown, position: number): string {
    return values.binAt((a, b) => boundedConcat(a, b, g), l, r, '&', position) as string;
  },
  /** `l..r`, counted against the guard as the items are made. */
  rangeAt(g: Guard, l: unknown, r: unknown, position: number): unknown {
    return values.binAt((a, b) => values.range(a, b, g), l, r, '..', position);
  },
  /** Let the event loop run other work; asynchronous code calls it when the guard says one is due. */
  pause(g: Guard): Promise<void> {
    return g.pause();
  },
  jerr,
  locate,
  /** A case the compiler did not implement, met at run time: the caller re-runs the expression on jsonata. */
  unsupported(reason: string): never {
    throw new Unsupported(reason);
  },
  /** The marker of "variable not yet bound in this frame". */
  UNBOUND: Symbol('unbound'),
  /** The marker of "leave the in-place path reads for jsonata's algorithm". */
  SLOW,
  plainView: (v: unknown): unknown => values.plainView(v, SLOW),
  hop: Object.prototype.hasOwnProperty,
  /** An error from one of several concurrently evaluated items: jsonata decides which error wins. */
  concurrentError(error: unknown): unknown {
    if (error instanceof Unsupported || error instanceof NeedsAsync) return error;
    return new Unsupported('an error among concurrently evaluated items');
  },
};

tuples.setUnbound(R.UNBOUND);

export type Runtime = typeof R;
