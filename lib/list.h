/* lib/list.h: intrusive circular doubly linked lists (as in Linux and xv6).
 * Embed a lib_list in a struct; an empty list head points at itself. */
#ifndef LIB_LIST_H
#define LIB_LIST_H

#include <stddef.h>
#include <stdbool.h>

typedef struct lib_list {
    struct lib_list *prev, *next;
} lib_list;

/* The struct of type `type` whose member `field` is at `ptr`. */
#define LIB_CONTAINER_OF(ptr, type, field) \
    ((type *)((char *)(ptr) - offsetof(type, field)))

static inline void lib_list_init(lib_list *head)
{
    head->prev = head->next = head;
}

static inline bool lib_list_empty(const lib_list *head)
{
    return head->next == head;
}

/* Inserts `node` before `head`, i.e. at the tail of the list. */
static inline void lib_list_push_back(lib_list *head, lib_list *node)
{
    node->prev = head->prev;
    node->next = head;
    head->prev->next = node;
    head->prev = node;
}

static inline void lib_list_push_front(lib_list *head, lib_list *node)
{
    node->next = head->next;
    node->prev = head;
    head->next->prev = node;
    head->next = node;
}

static inline void lib_list_remove(lib_list *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->prev = node->next = node;
}

/* Removes and returns the first node, or NULL when the list is empty. */
static inline lib_list *lib_list_pop_front(lib_list *head)
{
    lib_list *n = head->next;
    if (n == head)
        return NULL;
    lib_list_remove(n);
    return n;
}

#endif
