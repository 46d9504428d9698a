import { describe, expect, it } from 'vitest';
import { booleanAssignments } from '../../src/ui/flags.js';

describe('booleanAssignments', () => {
  it('rewrites --flag=false / --flag=true of negatable flags to --no-flag / --flag', () => {
    expect(booleanAssignments(['--refresh=false', '-c', 'x.yaml'], ['refresh'])).toEqual(['--no-refresh', '-c', 'x.yaml']);
    expect(booleanAssignments(['--refresh=TRUE'], ['refresh'])).toEqual(['--refresh']);
    expect(booleanAssignments(['--refresh=0', '--wait=no'], ['refresh', 'wait'])).toEqual(['--no-refresh', '--no-wait']);
  });

  it('leaves other flags, values after `--` and flags that are not negatable alone', () => {
    expect(booleanAssignments(['--out=plan.json', '--offline=false', '--', '--refresh=false'], ['refresh'])).toEqual(['--out=plan.json', '--offline=false', '--', '--refresh=false']);
  });

  it('refuses another value with what to write instead', () => {
    expect(() => booleanAssignments(['--refresh=maybe'], ['refresh'])).toThrow('--refresh takes true or false, not "maybe".');
  });
});
