import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../electron/core/api/event-bus';

const CASE = '9b2f4f7e-4f0e-4a59-9f55-3c1f6f0e8a11';

describe('event bus: events held until the transaction around them returns', () => {
  it('delivers held events after the held function returns, in order, and its value', () => {
    const bus = createEventBus();
    const got: string[] = [];
    bus.subscribe((name) => got.push(name));
    const value = bus.hold(() => {
      bus.publish('case.changed', { caseId: CASE });
      // Nested: the outermost hold decides when.
      bus.hold(() => bus.publish('case.changed', { caseId: CASE }));
      expect(got).toEqual([]);
      return 42;
    });
    expect(value).toBe(42);
    expect(got).toEqual(['case.changed', 'case.changed']);
  });

  it('drops what was published when the held function throws (the transaction rolled back)', () => {
    const bus = createEventBus();
    const got: string[] = [];
    bus.subscribe((name) => got.push(name));
    expect(() =>
      bus.hold(() => {
        bus.publish('case.changed', { caseId: CASE });
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    bus.publish('case.changed', { caseId: CASE });
    expect(got).toEqual(['case.changed']);
  });
});
