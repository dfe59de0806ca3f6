// A CSV read whole for calibration: the same records `leadscore score --csv` reads, problems included.
import { readTable, TableHeaderError } from '../../../lib/calibration/read-table';
import { CsvHeaderError } from '../../../lib/csv';

describe('readTable', () => {
  it('keys rows by the named columns; a short row lacks its last columns', async () => {
    const table = await readTable([' id ,Plan,\n1,Pro,\n2\n']);

    expect(table.columns).toEqual(['id', 'Plan']);
    expect(table.rows).toEqual([{ id: '1', Plan: 'Pro' }, { id: '2' }]);
    expect(table.problems).toEqual([]);
  });

  it('leaves out a row with more cells than the header, saying where and why as score --csv does', async () => {
    const table = await readTable(['id,Plan\n1,Pro\n2,Team,oops\n3,Free\n']);

    expect(table.rows.map((row) => row['id'])).toEqual(['1', '3']);
    expect(table.problems).toEqual([
      { where: 'row 2 (line 3)', reason: '1 more cell(s) than the header has columns' },
    ]);
  });

  it('says that an empty file is empty, and that a header of blank names names no column', async () => {
    await expect(readTable([])).rejects.toThrow(
      new TableHeaderError('the file is empty (expected a header row, then one lead per row)'),
    );
    await expect(readTable(['\n\n'])).rejects.toThrow('the file is empty');
    await expect(readTable([',,\n1,2,3\n'])).rejects.toThrow('the header row names no column');
  });

  it('reads a header-only file as columns without rows', async () => {
    expect(await readTable(['id,Won\n'])).toEqual({ columns: ['id', 'Won'], rows: [], problems: [] });
  });

  it('rejects a column named twice, with its line', async () => {
    await expect(readTable(['id,id\n1,2\n'])).rejects.toThrow(
      new CsvHeaderError(1, 'duplicate column name "id"'),
    );
  });
});
