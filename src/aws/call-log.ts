import type { FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext, Pluggable } from '@smithy/types';
import { debugLog } from '../util/debug-log.js';
import { errorCode } from './errors.js';

/**
 * Logs every attempt of every AWS call for `--debug`: service, operation, attempt, milliseconds and the
 * error code, if any. It sits right below the retry middleware (so each retry is its own line) and above
 * the signer and the transport (or the test fake), and never logs inputs or outputs: they may hold the
 * token or user data.
 */
export const callLogPlugin: Pluggable<any, any> = { // eslint-disable-line @typescript-eslint/no-explicit-any
  applyToStack(stack) {
    stack.addRelativeTo(
      (next: FinalizeHandler<any, any>, context: HandlerExecutionContext) => async (args: FinalizeHandlerArguments<any>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
        const { clientName, commandName } = context as { clientName?: string; commandName?: string };
        const service = (clientName ?? 'AWS').replace(/Client$/, '');
        const header = (args.request as { headers?: Record<string, string> } | undefined)?.headers?.['amz-sdk-request'];
        const attempt = /attempt=(\d+)/.exec(header ?? '')?.[1] ?? '1';
        const started = Date.now();
        try {
          const result = await next(args);
          debugLog('aws', { service, operation: commandName?.replace(/Command$/, ''), attempt, ms: Date.now() - started });
          return result;
        } catch (error) {
          debugLog('aws', { service, operation: commandName?.replace(/Command$/, ''), attempt, ms: Date.now() - started, error: errorCode(error) ?? 'unknown' });
          throw error;
        }
      },
      { relation: 'after', toMiddleware: 'retryMiddleware', name: 'wallarmOobCallLog', override: true },
    );
  },
};
