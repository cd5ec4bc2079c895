#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rdd authors
#
# Writes random schema/value pairs in the schema fuzzer's input format, for hunting
# differences between the one-walk schema paths and the separate passes:
#   tests/fuzz/gen-schema-cases.py DIR [SEED] [COUNT] && build/tests/fuzz/schema-fuzzer DIR
# The generated-* files of tests/fuzz/schema/ came from seed 1.
import json, random, sys, os
random.seed(int(sys.argv[2]) if len(sys.argv)>2 else 1)
out=sys.argv[1]
NAMES=['a','b','c','spec','status','metadata','kind','apiVersion','x','y.z','','n1']
def gschema(d):
    t=random.choice(['object','object','array','string','integer','number','boolean','ios','any'])
    s={}
    if d>3: t=random.choice(['string','integer','boolean'])
    if t=='ios':
        s['x-kubernetes-int-or-string']=True
    elif t=='any':
        s['x-kubernetes-preserve-unknown-fields']=True
        if random.random()<0.5: s['type']='object'
    else:
        s['type']=t
    if t=='object':
        props={}
        for n in random.sample(NAMES, random.randint(0,4)):
            props[n]=gschema(d+1)
        if props: s['properties']=props
        if props and random.random()<0.4: s['required']=random.sample(list(props), random.randint(1,len(props)))
        r=random.random()
        if r<0.15: s['additionalProperties']=gschema(d+1)
        elif r<0.25: s['x-kubernetes-preserve-unknown-fields']=True
        elif r<0.3: s['additionalProperties']=False
        if random.random()<0.1: s['x-kubernetes-embedded-resource']=True
    if t=='array':
        s['items']=gschema(d+1)
        if random.random()<0.3: s['minItems']=random.randint(0,2)
        if random.random()<0.3: s['maxItems']=random.randint(0,3)
    if t=='string':
        r=random.random()
        if r<0.2: s['enum']=random.sample(['red','green','blue',''],2)
        elif r<0.3: s['pattern']=random.choice(['^[a-z]+$','[0-9]','^$'])
        elif r<0.4: s['format']='date-time'
        if random.random()<0.2: s['minLength']=random.randint(0,3)
        if random.random()<0.2: s['maxLength']=random.randint(0,5)
    if t in ('integer','number'):
        if random.random()<0.3: s['minimum']=random.randint(-5,5)
        if random.random()<0.3: s['maximum']=random.randint(0,10)
        if random.random()<0.1: s['exclusiveMinimum']=True
    if random.random()<0.15: s['nullable']=True
    if random.random()<0.15 and t in ('string','integer','boolean','number'):
        s['default']={'string':'red','integer':3,'boolean':True,'number':1.5}[t]
    if random.random()<0.05 and t=='object': s['default']={}
    return s
def gvalue(s,d):
    r=random.random()
    if r<0.08: return None
    if r<0.15: return random.choice([1,-3,2.5,"s","red",True,[],{},"2024-01-01T00:00:00Z",10**20,1e300])
    t=s.get('type')
    if s.get('x-kubernetes-int-or-string'): return random.choice([1,"1","x",1.5])
    if t=='object' or (t is None and s.get('x-kubernetes-preserve-unknown-fields')):
        o={}
        for n,ps in s.get('properties',{}).items():
            if random.random()<0.7: o[n]=gvalue(ps,d+1)
        for _ in range(random.randint(0,2) if random.random()<0.4 else 0):
            o[random.choice(['extra','zz','a','metadata'])]=random.choice([1,"v",{"q":1},[1,{"w":2}]])
        if 'additionalProperties' in s and isinstance(s['additionalProperties'],dict):
            o['ap'+str(random.randint(0,3))]=gvalue(s['additionalProperties'],d+1)
        return o
    if t=='array':
        return [gvalue(s['items'],d+1) for _ in range(random.randint(0,3))]
    if t=='string': return random.choice(['red','green','abc','','123','2024-01-01T00:00:00Z','x'*6,'\u00e9\u00e9'])
    if t=='integer': return random.choice([0,1,-7,11,3,2**40, 2.0])
    if t=='number': return random.choice([0,1.5,-7,11,1e10])
    if t=='boolean': return random.choice([True,False])
    return random.choice([1,"x"])
n=int(sys.argv[3]) if len(sys.argv)>3 else 2000
for i in range(n):
    sc=gschema(0)
    if random.random()<0.7: sc={'type':'object','properties':{'apiVersion':{'type':'string'},'kind':{'type':'string'},'metadata':{'type':'object'},'spec':sc, 'status': gschema(1)}}
    v=gvalue(sc,0)
    with open(os.path.join(out,'case%05d'%i),'w') as f:
        f.write(json.dumps(sc)+'\n---\n'+json.dumps(v))
