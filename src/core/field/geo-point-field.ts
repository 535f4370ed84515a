import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import {
  InvalidCast,
  storedJson,
  toJson,
  toNumber,
  type GeoPoint,
} from './field-value-primitives.js';

const ORIGIN: GeoPoint = { lon: 0, lat: 0 };

function castGeoPoint(raw: unknown): GeoPoint | InvalidCast {
  const value = toJson(raw);
  if (value === null || value === undefined || value === '') return { ...ORIGIN };
  if (typeof value !== 'object' || Array.isArray(value))
    return new InvalidCast('validation_invalid_value');
  const lon = 'lon' in value ? toNumber(value.lon) : 0;
  const lat = 'lat' in value ? toNumber(value.lat) : 0;
  if (lon instanceof InvalidCast || lat instanceof InvalidCast)
    return new InvalidCast('validation_invalid_value');
  return { lon, lat };
}

function isGeoPoint(value: unknown): value is GeoPoint {
  return typeof value === 'object' && value !== null && 'lon' in value && 'lat' in value;
}

/** The stored JSON text as a point; a missing value is the origin. */
function storedPoint(stored: unknown): unknown {
  return storedJson(stored, () => ({ ...ORIGIN }));
}

/** A longitude/latitude pair. */
export interface GeoPointField extends FieldCommon {
  type: 'geoPoint';
  required: boolean;
  help: string;
}

/**
 * `geoPoint`: `{lon, lat}` in degrees, submitted as an object or its JSON text, stored as JSON
 * text; `{0, 0}` is empty (so `required` refuses it) and a point off the globe is invalid.
 */
export const geoPointFieldDef: FieldTypeDef<GeoPointField> = {
  type: 'geoPoint',
  read(common, o) {
    return { ...common, type: 'geoPoint', required: o.bool('required'), help: o.string('help') };
  },
  values: {
    columnKind: () => 'geoPoint',
    cast: (_field, raw) => castGeoPoint(raw),
    validate(field, value) {
      const point = isGeoPoint(value) ? value : ORIGIN;
      if (point.lon === 0 && point.lat === 0)
        return field.required ? fieldError('validation_required') : undefined;
      if (point.lon < -180 || point.lon > 180 || point.lat < -90 || point.lat > 90)
        return fieldError('validation_invalid_value');
      return undefined;
    },
    fromStored: (_field, stored) => storedPoint(stored),
    toStored: (_field, value) => JSON.stringify(value ?? ORIGIN),
    toJson: (_field, stored) => storedPoint(stored),
    valueToJson: (_field, value) => value,
  },
};
