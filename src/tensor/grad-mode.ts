let enabled = true;

/** Whether ops are recorded for autograd right now. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` with autograd recording off (inference, optimizer updates) and returns its result.
 * If `fn` returns a promise, recording stays off until it settles.
 *
 * @example
 * const y = nb.noGrad(() => model.apply(x));
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

function withGradMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    enabled = prev;
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      enabled = prev;
    }) as T;
  }
  enabled = prev;
  return result;
}
