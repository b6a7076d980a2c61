-- Apply one 责任体系 export (view `incoming`): the export is the whole list, so it replaces the last.
-- Grain: one responsibility row per row of the export kept by the importer.
-- Params: $import_id INTEGER
delete from responsibility;
insert into responsibility
select area, leader, departments, district, street, community, grid, grid_chief, building_chief,
    $import_id,
from incoming;
