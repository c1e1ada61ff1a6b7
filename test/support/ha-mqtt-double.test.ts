/** Each rule of the Home Assistant MQTT double (ha-mqtt-double.ts), on its own. */
import { describe, expect, it } from 'vitest';
import { HaMqttDouble } from './ha-mqtt-double.ts';

const CONFIG = 'homeassistant/sensor/kmp_1/energy/config';
const config = (extra: Record<string, unknown>) =>
  JSON.stringify({ unique_id: 'kmp_1_energy', state_topic: 'kmp/1/state', ...extra });

describe('the Home Assistant MQTT double', () => {
  it('rule 1: an entity comes with its config and goes with an empty one', () => {
    const ha = new HaMqttDouble();
    expect(ha.availableAt('kmp_1_energy', 0)).toBeUndefined();
    ha.receive(CONFIG, config({}), 0);
    expect(ha.entityIds()).toEqual(['kmp_1_energy']);
    expect(ha.availableAt('kmp_1_energy', 0)).toBe(true);
    ha.receive(CONFIG, '', 1);
    expect(ha.entityIds()).toEqual([]);
  });

  it('rule 2: availability topics start unavailable; other words change nothing; latest, all and any', () => {
    const topics = [{ topic: 'a' }, { topic: 'b', payload_available: 'up', payload_not_available: 'down' }];
    const ha = new HaMqttDouble();
    ha.receive(CONFIG, config({ availability: topics, availability_mode: 'all' }), 0);
    expect(ha.availableAt('kmp_1_energy', 0)).toBe(false);
    ha.receive('a', 'online', 1);
    expect(ha.availableAt('kmp_1_energy', 1)).toBe(false);
    ha.receive('b', 'online', 2); // not b's word for available
    expect(ha.availableAt('kmp_1_energy', 2)).toBe(false);
    ha.receive('b', 'up', 3);
    expect(ha.availableAt('kmp_1_energy', 3)).toBe(true);
    ha.receive('a', 'polling', 4); // neither word: no change
    expect(ha.availableAt('kmp_1_energy', 4)).toBe(true);
    ha.receive('a', 'offline', 5);
    expect(ha.availableAt('kmp_1_energy', 5)).toBe(false);

    const any = new HaMqttDouble();
    any.receive(CONFIG, config({ availability: topics, availability_mode: 'any' }), 0);
    any.receive('a', 'online', 1);
    expect(any.availableAt('kmp_1_energy', 1)).toBe(true);

    const latest = new HaMqttDouble();
    latest.receive(CONFIG, config({ availability_topic: 'a' }), 0);
    latest.receive('a', 'online', 1);
    expect(latest.availableAt('kmp_1_energy', 1)).toBe(true);
    latest.receive('a', 'offline', 2);
    expect(latest.availableAt('kmp_1_energy', 2)).toBe(false);
  });

  it('rule 3: expire_after makes it unavailable before the first state and that long after each', () => {
    const ha = new HaMqttDouble();
    ha.receive(CONFIG, config({ expire_after: 60 }), 0);
    expect(ha.availableAt('kmp_1_energy', 0)).toBe(false);
    ha.receive('kmp/1/state', '{}', 1000);
    expect(ha.availableAt('kmp_1_energy', 60_999)).toBe(true);
    expect(ha.availableAt('kmp_1_energy', 61_000)).toBe(false);
    ha.receive('kmp/1/state', '{}', 70_000);
    expect(ha.availableAt('kmp_1_energy', 70_001)).toBe(true);
  });

  it('rule 4: an entity hears its topics once subscribed (the broker then sends what it retained), not before', () => {
    const asked: string[][] = [];
    const ha = new HaMqttDouble((topics) => asked.push(topics));
    ha.receive('a', 'online', 0); // before the entity: not heard
    ha.receive(CONFIG, config({ availability: [{ topic: 'a' }], availability_mode: 'all', expire_after: 60 }), 10);
    expect(asked).toEqual([['a', 'kmp/1/state']]);
    expect(ha.availableAt('kmp_1_energy', 10)).toBe(false);
    // What the broker retained, delivered on the subscription.
    ha.receive('a', 'online', 20);
    ha.receive('kmp/1/state', '{}', 20);
    expect(ha.availableAt('kmp_1_energy', 20)).toBe(true);
    expect(ha.availableAt('kmp_1_energy', 60_020)).toBe(false);
    // A config sent again asks for nothing new.
    ha.receive(CONFIG, config({ availability: [{ topic: 'a' }], availability_mode: 'all', expire_after: 60 }), 30);
    expect(asked).toHaveLength(1);
  });
});
