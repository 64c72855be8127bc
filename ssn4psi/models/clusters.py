"""What Wagtail's search index and modelcluster need from a model that is in both."""


class IndexedClusterCopy:
    """For a model that is a modelcluster `ClusterableModel` and in Wagtail's search index (`index.Indexed`):
    modelcluster's `copy_cluster()` copies every relation the model declares, and the database search backend's
    `index_entries` is one it cannot assign, so copying a page with such children (a member page with its needs,
    which wagtail-localize does to translate it or a page under it) failed with a TypeError. The copy leaves the
    index entries out; the copy gets its own when it is indexed."""

    def copy_cluster(self, exclude_fields=None):
        return super().copy_cluster(exclude_fields=[*(exclude_fields or []), "index_entries"])
