/*
 * Sequential write bandwidth of one NVMe instance-store disk, which
 * DescribeInstanceTypes does not give (it names only count, size, type).
 * docs/capacity-model.md, "Instance store", is the source of every row.
 */
#include <string.h>

#include "model.h"

/*
 * AWS publishes, per type, the 4 KiB random write IOPS of all its disks
 * together (storage-optimized-instances.md, "SSD I/O performance", and its
 * current version, the "Instance store specifications" table); per disk,
 * write_iops / disks * 4096 B is an estimate of a sequential figure, which
 * AWS does not publish. A measured figure replaces it where one exists.
 */
static const struct instore_row {
	const char	*type;
	long		 disks;
	long		 write_iops;	/* all disks, 4 KiB, queue depth saturated */
	double		 measured_mb_per_s;	/* per disk; 0: none */
	const char	*measured_by;
} rows[] = {
	{ "i3.large", 1, 35000, 0, NULL },
	{ "i3.xlarge", 1, 70000, 0, NULL },
	{ "i3.2xlarge", 1, 180000, 0, NULL },
	{ "i3.4xlarge", 2, 360000, 0, NULL },
	{ "i3.8xlarge", 4, 720000, 0, NULL },
	{ "i3.16xlarge", 8, 1400000, 0, NULL },
	{ "i3en.large", 1, 32500, 0, NULL },
	{ "i3en.xlarge", 1, 65000, 0, NULL },
	{ "i3en.2xlarge", 2, 130000, 327,
	    "StreamNative 2020 report p.27: dd bs=1M oflag=direct, 327 MB/s "
	    "(the second disk 328 MB/s)" },
	{ "i3en.3xlarge", 1, 200000, 0, NULL },
	{ "i3en.6xlarge", 2, 400000, 1000,
	    "Vanlightly 2023, Kafka vs Redpanda part 5: Kafka wrote 1 GB/s "
	    "per drive, 'the limit of these drives'" },
	{ "i3en.12xlarge", 4, 800000, 0, NULL },
	{ "i3en.24xlarge", 8, 1600000, 0, NULL },
	{ "i4i.large", 1, 27500, 0, NULL },
	{ "i4i.xlarge", 1, 55000, 0, NULL },
	{ "i4i.2xlarge", 1, 110000, 0, NULL },
	{ "i4i.4xlarge", 1, 220000, 0, NULL },
	{ "i4i.8xlarge", 2, 440000, 0, NULL },
	{ "i4i.12xlarge", 3, 660000, 0, NULL },
	{ "i4i.16xlarge", 4, 880000, 0, NULL },
	{ "i4i.24xlarge", 6, 1320000, 0, NULL },
	{ "i4i.32xlarge", 8, 1760000, 0, NULL },
};

int
instore_disk(const char *type, struct instore_disk *d)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct instore_row *r = &rows[i];

		if (strcmp(r->type, type) != 0)
			continue;
		d->disks = r->disks;
		if (r->measured_mb_per_s > 0) {
			d->write_mb_per_s = r->measured_mb_per_s;
			d->provenance = "measured";
			d->source = r->measured_by;
		} else {
			d->write_mb_per_s = (double)r->write_iops / r->disks *
			    4096 / 1e6;
			d->provenance = "estimate";
			d->source = "AWS 4 KiB random write IOPS / disks x "
			    "4096 B (AWS publishes no sequential figure)";
		}
		return 0;
	}
	return -1;
}
