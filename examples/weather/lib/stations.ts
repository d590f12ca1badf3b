/**
 * Synthetic weather stations in the shape of NOAA's `isd-history.csv`: a USAF and a WBAN id (the
 * pair is the key; USAF alone is not — US stations known only by WBAN share USAF `999999`), a name,
 * a FIPS country code, a US state, coordinates, elevation, and the first and last day of reports.
 *
 * The file has the quirks of the real one that a careful reader must handle, all of them valid:
 * ids with leading zeros (read them as strings), names with commas and quotes (CSV quoting), empty
 * states outside the US, stations without coordinates or elevation, signed numbers (`+051.317`),
 * negative elevations, and stations that stopped reporting in the middle of the years generated.
 * `brokenRows` gives rows a validate target must reject.
 */
import { Random } from './random.js';

/** A country: FIPS code, a box of coordinates and its climate (°C). */
interface Country {
  readonly code: string;
  readonly lat: readonly [number, number];
  readonly lon: readonly [number, number];
  /** Mean yearly temperature and half the summer–winter swing. */
  readonly temp: number;
  readonly swing: number;
  readonly stations: number;
}

const COUNTRIES: readonly Country[] = [
  { code: 'US', lat: [25, 48], lon: [-123, -70], temp: 13, swing: 12, stations: 60 },
  { code: 'CA', lat: [43, 68], lon: [-130, -55], temp: 2, swing: 18, stations: 14 },
  { code: 'MX', lat: [15, 31], lon: [-115, -88], temp: 22, swing: 5, stations: 10 },
  { code: 'BR', lat: [-30, 2], lon: [-70, -36], temp: 24, swing: -3, stations: 12 },
  { code: 'AR', lat: [-52, -23], lon: [-70, -56], temp: 14, swing: -8, stations: 9 },
  { code: 'UK', lat: [50, 58], lon: [-6, 1], temp: 10, swing: 6, stations: 12 },
  { code: 'FR', lat: [43, 50], lon: [-4, 7], temp: 12, swing: 8, stations: 11 },
  { code: 'GM', lat: [47, 54], lon: [6, 15], temp: 9, swing: 9, stations: 12 },
  { code: 'SP', lat: [36, 43], lon: [-9, 3], temp: 16, swing: 8, stations: 9 },
  { code: 'IT', lat: [37, 46], lon: [7, 18], temp: 15, swing: 9, stations: 9 },
  { code: 'NO', lat: [58, 70], lon: [5, 25], temp: 3, swing: 9, stations: 9 },
  { code: 'SW', lat: [55, 68], lon: [12, 23], temp: 5, swing: 10, stations: 9 },
  { code: 'FI', lat: [60, 69], lon: [21, 30], temp: 3, swing: 12, stations: 8 },
  { code: 'PL', lat: [49, 54], lon: [15, 24], temp: 8, swing: 10, stations: 8 },
  { code: 'RS', lat: [45, 70], lon: [30, 170], temp: -2, swing: 20, stations: 14 },
  { code: 'CH', lat: [22, 48], lon: [80, 125], temp: 12, swing: 14, stations: 13 },
  { code: 'JA', lat: [31, 44], lon: [130, 145], temp: 14, swing: 11, stations: 10 },
  { code: 'IN', lat: [9, 32], lon: [70, 90], temp: 26, swing: 6, stations: 10 },
  { code: 'AS', lat: [-42, -12], lon: [115, 153], temp: 20, swing: -6, stations: 11 },
  { code: 'NZ', lat: [-46, -35], lon: [167, 178], temp: 12, swing: -5, stations: 7 },
  { code: 'SF', lat: [-34, -23], lon: [17, 32], temp: 18, swing: -6, stations: 8 },
  { code: 'EG', lat: [22, 31], lon: [25, 35], temp: 23, swing: 7, stations: 7 },
  { code: 'KE', lat: [-4, 4], lon: [34, 41], temp: 24, swing: 1, stations: 6 },
  { code: 'SA', lat: [17, 31], lon: [37, 55], temp: 27, swing: 9, stations: 7 },
  { code: 'IC', lat: [63, 66], lon: [-23, -14], temp: 4, swing: 6, stations: 6 },
];

const US_STATES = ['CA', 'TX', 'NY', 'FL', 'WA', 'CO', 'IL', 'AK', 'AZ', 'MA', 'MN', 'GA'];
const SYLLABLES = ['BER', 'GEN', 'HAM', 'LIN', 'MAR', 'NOR', 'OST', 'RIV', 'SAN', 'TOR', 'VAL', 'WEST', 'KIR', 'DAL', 'MONT', 'PORT', 'LAKE', 'ASH', 'ELM', 'FAIR'];
const SUFFIXES = ['AIRPORT', 'INTL', 'AWS', 'AIRFIELD', 'LIGHTHOUSE', 'RADIO', 'MUNICIPAL', 'AB', 'OBSERVATORY'];

/** One station, as generated (numbers unformatted). */
export interface Station {
  readonly usaf: string;
  readonly wban: string;
  readonly name: string;
  readonly country: string;
  readonly state: string;
  /** Undefined for the stations NOAA lists without a position. */
  readonly latitude: number | undefined;
  readonly longitude: number | undefined;
  readonly elevation: number | undefined;
  /** First and last day of reports, `yyyyMMdd`. */
  readonly begin: string;
  readonly end: string;
  /** Climate used for its measurements. */
  readonly temp: number;
  readonly swing: number;
}

/** The header of the stations file. */
export const STATIONS_HEADER = 'usaf,wban,name,country,state,latitude,longitude,elevation,begin,end';

/** About 300 stations in 25 countries, the same for the same seed. */
export function makeStations(seed: number): Station[] {
  const rng = Random.derive(seed, 1);
  const keys = new Set<string>();
  const out: Station[] = [];
  for (const country of COUNTRIES) {
    for (let i = 0; i < country.stations; i++) {
      const { usaf, wban } = stationId(rng, country.code, keys);
      const unplaced = rng.chance(0.03);
      const latitude = rng.normal((country.lat[0] + country.lat[1]) / 2, (country.lat[1] - country.lat[0]) / 4);
      out.push({
        usaf,
        wban,
        name: stationName(rng),
        country: country.code,
        state: country.code === 'US' ? rng.pick(US_STATES) : '',
        latitude: unplaced ? undefined : clamp(latitude, country.lat[0], country.lat[1]),
        longitude: unplaced ? undefined : country.lon[0] + rng.next() * (country.lon[1] - country.lon[0]),
        elevation: unplaced ? undefined : rng.chance(0.04) ? -rng.int(1, 30) : rng.int(0, 2200),
        begin: `${rng.int(1931, 2008)}${pad(rng.int(1, 12), 2)}01`,
        // Most stations still report; some stopped during the years generated.
        end: rng.chance(0.1) ? `${rng.int(2011, 2014)}${pad(rng.int(1, 12), 2)}${pad(rng.int(1, 28), 2)}` : '20250101',
        temp: country.temp + rng.normal(0, 2),
        swing: country.swing,
      });
    }
  }
  return out;
}

function stationId(rng: Random, country: string, taken: Set<string>): { usaf: string; wban: string } {
  for (;;) {
    // US stations known only by their WBAN number have USAF 999999; elsewhere WBAN is 99999.
    const byWban = country === 'US' && rng.chance(0.25);
    const usaf = byWban ? '999999' : pad(rng.int(country === 'US' ? 690000 : 10000, country === 'US' ? 749999 : 689999), 6);
    const wban = country === 'US' ? pad(rng.int(3000, 94999), 5) : '99999';
    if (!taken.has(`${usaf}-${wban}`)) {
      taken.add(`${usaf}-${wban}`);
      return { usaf, wban };
    }
  }
}

function stationName(rng: Random): string {
  const place = `${rng.pick(SYLLABLES)}${rng.pick(SYLLABLES).toLowerCase()}`.toUpperCase();
  const roll = rng.next();
  if (roll < 0.05) return `${place}, ${rng.pick(SYLLABLES)} ISLAND`;
  if (roll < 0.07) return `"${place}" ${rng.pick(SUFFIXES)}`;
  return `${place} ${rng.pick(SUFFIXES)}`;
}

/** The stations file: a header and one CSV line per station, quoted where CSV needs it. */
export function stationsCsv(stations: readonly Station[], brokenRows: readonly string[] = []): string {
  const lines = stations.map((s) =>
    [s.usaf, s.wban, csvField(s.name), s.country, s.state, signed(s.latitude, 3, 3), signed(s.longitude, 4, 3), signed(s.elevation, 4, 1), s.begin, s.end].join(','),
  );
  return `${[STATIONS_HEADER, ...lines, ...brokenRows].join('\n')}\n`;
}

/**
 * Rows that break the stations file in the ways the validate target checks: a key listed twice, a
 * missing country, a three-letter country, a latitude out of range, and a station that ends before
 * it begins.
 */
export function brokenStationRows(stations: readonly Station[]): string[] {
  const first = stations[0]!;
  return [
    `${first.usaf},${first.wban},DUPLICATE OF ${first.name.replace(/[",]/g, '')},${first.country},,+010.000,+010.000,+0001.0,20000101,20250101`,
    '012345,99999,NOWHERE AWS,,,+050.000,+010.000,+0100.0,20000101,20250101',
    '012346,99999,THREE LETTERS AWS,GER,,+050.000,+010.000,+0100.0,20000101,20250101',
    '012347,99999,FAR NORTH AWS,NO,,+123.400,+010.000,+0100.0,20000101,20250101',
    '012348,99999,BACKWARDS AWS,FR,,+045.000,+002.000,+0100.0,20200101,20100101',
  ];
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `+051.317`: NOAA's signed, zero-padded numbers; empty for unknown values. */
function signed(value: number | undefined, digits: number, decimals: number): string {
  if (value === undefined) return '';
  const text = Math.abs(value).toFixed(decimals).padStart(digits + decimals + 1, '0');
  return `${value < 0 ? '-' : '+'}${text}`;
}

/** `n` as `width` digits with leading zeros. */
export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
