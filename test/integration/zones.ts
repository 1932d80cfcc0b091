/** A fixed-offset zone whose clock reads an hour `wanted` says now (and will for an hour or more). */
export const zoneWhere = (wanted: (hour: number) => boolean): string => {
  for (let offset = -12; offset <= 12; offset++) {
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '+' : '-'}${Math.abs(offset)}`;
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(
        new Date(),
      ),
    );
    if (wanted(hour)) return zone;
  }
  throw new Error('no such zone');
};
/** Daytime, well inside the default quiet hours' complement (08:00-21:00). */
export const dayZone = () => zoneWhere((h) => h >= 10 && h < 17);
/** Night, well inside the default quiet hours (21:00-08:00). */
export const nightZone = () => zoneWhere((h) => h >= 23 || h < 5);
