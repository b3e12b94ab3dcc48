#!/usr/bin/env bash
# Run once after the three masters and three tablet servers are up: every tablet keeps one replica in each
# of the three zones (replication factor 3, a minimum of one per zone), so losing a zone leaves two copies
# and a majority. Then show the result.
set -euo pipefail
masters=yb-master-a.db.internal:7100,yb-master-b.db.internal:7100,yb-master-c.db.internal:7100
admin=(yb-admin --master_addresses "$masters" --certs_dir_name /etc/yugabyte/certs)

"${admin[@]}" modify_placement_info \
    omoikane.eu-central-1.eu-central-1a:1,omoikane.eu-central-1.eu-central-1b:1,omoikane.eu-central-1.eu-central-1c:1 3
"${admin[@]}" get_universe_config
"${admin[@]}" list_all_tablet_servers
