import { decodeResult, encodeResult, type Scale } from "~/domain/scales";

/** The result control for the scheme's scale: levels in a drop-down, a mark or percentage, or criteria ticked. */
export function ResultInput({
  id,
  label,
  scale,
  criteria,
  value,
  disabled,
  onChange,
  onFocus,
  onBlur,
}: {
  id: string;
  label: string;
  scale: Scale;
  criteria: Array<{ id: string; statement: string }>;
  value: string;
  disabled: boolean;
  onChange: (value: string) => void;
  onFocus?: () => void;
  onBlur?: () => void;
}) {
  const control = "mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1 disabled:bg-slate-50";
  if (scale.kind === "levels") {
    return (
      <select
        id={id}
        aria-label={label}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        onFocus={onFocus}
        onBlur={onBlur}
        className={control}
      >
        <option value="">— Non évalué —</option>
        {scale.levels.map((level) => (
          <option key={level.value} value={level.value}>
            {level.label}
          </option>
        ))}
      </select>
    );
  }
  if (scale.kind === "criteriaRatio") {
    const decoded = decodeResult(scale, value);
    const met = new Set(decoded && "criteriaMet" in decoded ? decoded.criteriaMet : []);
    const toggle = (criterionId: string, checked: boolean) => {
      const next = new Set(met);
      if (checked) next.add(criterionId);
      else next.delete(criterionId);
      onChange(encodeResult({ criteriaMet: [...next] }));
    };
    return (
      <fieldset id={id} className="mt-1 space-y-1 text-sm" onFocus={onFocus} onBlur={onBlur}>
        <legend className="sr-only">{label} : critères satisfaits</legend>
        {criteria.map((cr, i) => (
          <label key={cr.id} className="flex items-start gap-2">
            <input
              type="checkbox"
              checked={met.has(cr.id)}
              disabled={disabled}
              onChange={(e) => toggle(cr.id, e.target.checked)}
              className="mt-1"
            />
            <span>Critère {i + 1} satisfait</span>
          </label>
        ))}
        <p className="text-slate-600">
          {value === "" ? "Non évalué" : `${met.size} sur ${criteria.length} (seuil ${scale.ratio} %)`}
        </p>
      </fieldset>
    );
  }
  const max = scale.kind === "marks" ? scale.max : 100;
  return (
    <input
      id={id}
      aria-label={label}
      type="number"
      inputMode="decimal"
      min={0}
      max={max}
      step={scale.kind === "marks" ? scale.step : 1}
      value={value}
      disabled={disabled}
      placeholder={scale.kind === "marks" ? `note sur ${max}` : "%"}
      onChange={(e) => onChange(e.target.value)}
      onFocus={onFocus}
      onBlur={onBlur}
      className={control}
    />
  );
}

/** A result as a person reads it (« Acquis », « 12 / 20 », « 3 critères sur 4 »). */
export function resultText(scale: Scale, raw: string | undefined, criteriaCount: number): string {
  const value = decodeResult(scale, raw);
  if (!value) return "non évalué";
  if ("level" in value) return scale.kind === "levels" ? (scale.levels.find((l) => l.value === value.level)?.label ?? value.level) : value.level;
  if ("score" in value) return scale.kind === "marks" ? `${value.score} / ${scale.max}` : `${value.score} %`;
  return `${value.criteriaMet.length} critère(s) sur ${criteriaCount}`;
}
